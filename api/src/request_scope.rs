//! Which request the running code serves, HTTP-free so that the operations layer can name it
//! in its log lines: a task-local for the async handler, a thread-local for the blocking
//! database thread (the task-local does not cross `web::block`). The `X-Request-Id` middleware
//! (`request_id`) sets it.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
    static LANGUAGE: domain::labels::Language;
}

std::thread_local! {
    /// The request a blocking database thread is working for (the task-local does not cross
    /// `web::block`); set by [`on_this_thread`].
    static BLOCKING_REQUEST_ID: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The id of the request being served, or `-` outside a request.
pub fn current() -> String {
    REQUEST_ID
        .try_with(Clone::clone)
        .ok()
        .or_else(|| BLOCKING_REQUEST_ID.with(|id| id.borrow().clone()))
        .unwrap_or_else(|| "-".to_owned())
}

/// Runs `work` on this (blocking) thread as part of request `id`, so its log lines and errors
/// name the request.
pub fn on_this_thread<T>(id: String, work: impl FnOnce() -> T) -> T {
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            BLOCKING_REQUEST_ID.with(|slot| slot.borrow_mut().take());
        }
    }
    BLOCKING_REQUEST_ID.with(|slot| *slot.borrow_mut() = Some(id));
    let _reset = Reset;
    work()
}

/// Runs `work` as part of request `id`, answered in `language`.
pub async fn within<F: Future>(id: String, language: domain::labels::Language, work: F) -> F::Output {
    REQUEST_ID.scope(id, LANGUAGE.scope(language, work)).await
}

/// The language the request being served asked for (`Accept-Language`); Swedish outside one.
pub fn language() -> domain::labels::Language {
    LANGUAGE.try_with(|l| *l).unwrap_or_default()
}
