//! Blocking work (a SQLite call, a file) run off the async threads.

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

#[cfg(test)]
mod tests {
    use super::*;

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
