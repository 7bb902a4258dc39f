-- The chat messages that carry a booking's payment link (R-PAY-1): when the booking is paid or
-- its payment window runs out, each is edited in place to a short final text without the pay
-- button, so nobody is left thinking they still have to pay.
CREATE TABLE booking_pay_messages (
    booking_id INTEGER NOT NULL REFERENCES bookings (id) ON DELETE CASCADE,
    chat_id    INTEGER NOT NULL,
    message_id INTEGER NOT NULL CHECK (message_id > 0),
    created_at TEXT NOT NULL,
    PRIMARY KEY (booking_id, chat_id, message_id)
);

-- An outbox row with edit_message_id edits that message of chat_id (text and buttons) instead
-- of sending a new one.
ALTER TABLE outbox ADD COLUMN edit_message_id INTEGER CHECK (edit_message_id > 0);
