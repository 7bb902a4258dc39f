//! Dialogue state survives a new storage object (a restart) on SQLite, PostgreSQL and Redis,
//! and a state that no longer decodes reads as none instead of failing the update.

use std::sync::Arc;

use proego::bot::State;
use proego::store::dialogue::{RedisDialogueStorage, SqlDialogueStorage};
use teloxide::dispatching::dialogue::Storage;
use teloxide::types::ChatId;

use crate::support::db::{redis_url, Backend, TestDb};

async fn round_trip<S>(first: Arc<S>, again: Arc<S>)
where
    S: Storage<State> + Send + Sync + 'static,
    S::Error: std::fmt::Debug,
{
    let chat = ChatId(777);
    assert_eq!(first.clone().get_dialogue(chat).await.unwrap(), None);
    first
        .clone()
        .update_dialogue(chat, State::AwaitingTimeZone)
        .await
        .unwrap();
    assert_eq!(
        again.clone().get_dialogue(chat).await.unwrap(),
        Some(State::AwaitingTimeZone),
        "survives a new storage"
    );
    again.clone().update_dialogue(chat, State::Idle).await.unwrap();
    assert_eq!(first.clone().get_dialogue(chat).await.unwrap(), Some(State::Idle));
    first.clone().remove_dialogue(chat).await.unwrap();
    assert_eq!(again.clone().get_dialogue(chat).await.unwrap(), None);
    assert_eq!(
        again.get_dialogue(ChatId(-100)).await.unwrap(),
        None,
        "chats are separate"
    );
}

async fn sql(backend: Backend) {
    let t = TestDb::new(backend).await;
    round_trip(
        SqlDialogueStorage::<State>::new(t.db.clone()),
        SqlDialogueStorage::<State>::new(t.db.clone()),
    )
    .await;
    // A state written by an older version that no longer decodes.
    proego::db_run!(&t.db, |p| sqlx::query(
        "INSERT INTO dialogues (chat_id, state, updated_at) VALUES (5, $1, $2)"
    )
    .bind(r#"{"step":"retired_step","x":1}"#)
    .bind(chrono::Utc::now())
    .execute(p)
    .await
    .unwrap()
    .rows_affected());
    let s = SqlDialogueStorage::<State>::new(t.db.clone());
    assert_eq!(s.get_dialogue(ChatId(5)).await.unwrap(), None);
}

#[tokio::test]
async fn sql_dialogue_state_on_sqlite() {
    sql(Backend::Sqlite).await;
}

#[tokio::test]
async fn sql_dialogue_state_on_postgres() {
    sql(Backend::Postgres).await;
}

#[tokio::test]
async fn redis_dialogue_state() {
    let url = redis_url();
    let prefix = format!("proego-test:{}:", uuid::Uuid::new_v4().simple());
    let open = || async {
        RedisDialogueStorage::<State>::open(&url, &prefix)
            .await
            .unwrap_or_else(|e| panic!("Redis is required for this test and is not reachable at {url}: {e}"))
    };
    round_trip(open().await, open().await).await;
    let mut c = redis::Client::open(url.as_str())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let _: () = redis::cmd("SET")
        .arg(format!("{prefix}dialogue:9"))
        .arg("not json")
        .query_async(&mut c)
        .await
        .unwrap();
    assert_eq!(open().await.get_dialogue(ChatId(9)).await.unwrap(), None);
    let _: () = redis::cmd("DEL")
        .arg(format!("{prefix}dialogue:9"))
        .query_async(&mut c)
        .await
        .unwrap();
}
