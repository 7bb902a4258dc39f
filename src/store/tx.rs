//! A write transaction on either backend. On SQLite it begins IMMEDIATE (the write lock is
//! taken at once, so concurrent writers wait for each other instead of failing on upgrade).

use sqlx::{Postgres, Sqlite, Transaction};

use super::{Db, StoreResult};

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs the same body on the transaction's connection; `$c` is `&mut Connection`.
#[macro_export]
macro_rules! tx_run {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::store::tx::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::store::tx::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

impl Db {
    /// Begins a write transaction.
    pub async fn begin(&self) -> StoreResult<Tx> {
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }
}

impl Tx {
    pub async fn commit(self) -> StoreResult<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}
