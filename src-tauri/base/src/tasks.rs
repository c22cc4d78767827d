//! Blocking work (a SQLite call, a file) run off the async threads, and work nobody waits for
//! run at the lowest priority.

/// Runs `f` on tokio's blocking pool and waits for it: its error turned into `R`, or, when
/// the task panicked or was cancelled, `failed` of what tokio says of it.
pub async fn blocking<T, E, R>(
    f: impl FnOnce() -> Result<T, E> + Send + 'static,
    failed: impl FnOnce(String) -> R,
) -> Result<T, R>
where
    T: Send + 'static,
    E: Into<R> + Send + 'static,
{
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r.map_err(Into::into),
        Err(e) => Err(failed(e.to_string())),
    }
}

/// Runs `f` on a thread of its own named `name`, at the lowest scheduling priority the system
/// gives a thread (Linux: nice 19), so that work nobody waits for yet (the sandbox rendering a
/// large collection ahead of its first open) takes no CPU from what the user is waiting for: on
/// two cores, the list being read and drawn while it runs. Elsewhere the thread keeps the
/// normal priority.
pub fn background(
    name: &str,
    f: impl FnOnce() + Send + 'static,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name(name.to_owned())
        .spawn(move || {
            lower_this_threads_priority();
            f()
        })
}

/// The calling thread's scheduling priority, lowered as far as it goes (what [`background`]
/// threads run at); best effort: a refusal leaves it as it was.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: gettid takes nothing; setpriority changes only this thread's nice value (on
    // Linux a PRIO_PROCESS `who` that is a thread id names that one thread).
    unsafe {
        let tid = libc::gettid();
        libc::setpriority(libc::PRIO_PROCESS, tid as libc::id_t, 19);
    }
}

/// This thread's nice value (Linux), for the test.
#[cfg(all(test, target_os = "linux"))]
fn this_threads_nice() -> i32 {
    // SAFETY: as above; getpriority only reads. A real -1 is told apart by errno (not needed
    // here: no thread of the test runs at -1).
    unsafe { libc::getpriority(libc::PRIO_PROCESS, libc::gettid() as libc::id_t) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn background_work_runs_on_its_own_named_thread_at_the_lowest_priority() {
        #[cfg(target_os = "linux")]
        let callers = this_threads_nice();
        let (tx, rx) = std::sync::mpsc::channel();
        background("postdesk-test-bg", move || {
            let name = std::thread::current().name().map(str::to_owned);
            #[cfg(target_os = "linux")]
            let nice = this_threads_nice();
            #[cfg(not(target_os = "linux"))]
            let nice = 19;
            tx.send((name, nice)).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
        let (name, nice) = rx.recv().unwrap();
        assert_eq!(name.as_deref(), Some("postdesk-test-bg"));
        assert_eq!(nice, 19);
        // The caller's own priority is untouched (whatever it was: a run under `nice` too).
        #[cfg(target_os = "linux")]
        assert_eq!(this_threads_nice(), callers);
    }

    #[derive(Debug, PartialEq)]
    enum Failure {
        Own(String),
        Task(String),
    }

    impl From<&'static str> for Failure {
        fn from(e: &'static str) -> Failure {
            Failure::Own(e.to_owned())
        }
    }

    #[tokio::test]
    async fn the_result_comes_back_its_error_converted_and_a_panic_as_a_task_failure() {
        assert_eq!(blocking(|| Ok::<_, &str>(7), Failure::Task).await, Ok(7));
        assert_eq!(
            blocking(|| Err::<u8, _>("locked"), Failure::Task).await,
            Err(Failure::Own("locked".into()))
        );
        let panicked = blocking(
            || -> Result<u8, &'static str> { panic!("boom") },
            Failure::Task,
        )
        .await;
        assert!(matches!(panicked, Err(Failure::Task(t)) if t.contains("panicked")));
    }
}
