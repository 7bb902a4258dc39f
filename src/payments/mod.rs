//! Payments (R-PAY-1, R-CAN-2..3): a [`provider::PaymentProvider`] trait with two providers,
//! `sandbox` (the default: our own payment page) and `yookassa` (API v3), and the
//! [`service::PaymentService`] that keeps our payments and bookings in line with what the
//! provider says.

pub mod provider;
pub mod sandbox;
pub mod service;
pub mod yookassa;
