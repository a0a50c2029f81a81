//! Which request the running code serves, HTTP-free so that the operations layer can name it
//! in its log lines: a task-local for the async handler, a thread-local for the blocking
//! database thread (the task-local does not cross `web::block`). The `X-Request-Id` middleware
//! (`request_id`) sets it.

use std::future::Future;

tokio::task_local! {
    static REQUEST_ID: String;
    static LANGUAGE: domain::labels::Language;
    static RATE_BUDGET: std::cell::Cell<Option<RateBudget>>;
}

/// What is left of a token's write budget after this request (the IETF RateLimit headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateBudget {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u32,
}

/// Records the write budget the request leaves, for its response headers.
pub fn set_rate_budget(budget: RateBudget) {
    let _ = RATE_BUDGET.try_with(|cell| cell.set(Some(budget)));
}

/// The budget the request left, if it was a counted write.
pub fn rate_budget() -> Option<RateBudget> {
    RATE_BUDGET.try_with(std::cell::Cell::get).ok().flatten()
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
    let budget = std::cell::Cell::new(None);
    REQUEST_ID
        .scope(id, LANGUAGE.scope(language, RATE_BUDGET.scope(budget, work)))
        .await
}

/// The language the request being served asked for (`Accept-Language`); Swedish outside one.
pub fn language() -> domain::labels::Language {
    LANGUAGE.try_with(|l| *l).unwrap_or_default()
}
