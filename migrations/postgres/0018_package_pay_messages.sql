-- The chat messages that carry a package's payment link (R-PAY-1), as booking_pay_messages
-- (0017) for bookings: when the package is paid (captured) or its payment window runs out, each
-- is edited in place to a short final text without the pay button.
CREATE TABLE package_pay_messages (
    package_id BIGINT NOT NULL REFERENCES packages (id) ON DELETE CASCADE,
    chat_id    BIGINT NOT NULL,
    message_id INTEGER NOT NULL CHECK (message_id > 0),
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (package_id, chat_id, message_id)
);
