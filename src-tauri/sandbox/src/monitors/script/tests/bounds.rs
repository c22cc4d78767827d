//! Errors, and the time, memory and stack bounds.

use super::*;

#[test]
fn a_thrown_error_is_the_scripts_error_and_earlier_tests_stay() {
    let mut e = engine();
    let o = test_on(&mut e, "pm.test('first', () => {}); pm.test('second', () => pm.expect(1).to.equal(2)); x.y = 1; pm.test('never', () => {});", &ok_json());
    assert_eq!(
        results(&o),
        [
            ("first", true, None),
            (
                "second",
                false,
                Some("AssertionError: expected 1 to equal 2")
            )
        ]
    );
    assert_eq!(o.error, err("ReferenceError", "x is not defined"));
    let o = test_on(&mut e, "pm.test('a', () => {}); throw 'plain';", &ok_json());
    assert_eq!(o.error, err("Error", "plain"));
    assert_eq!(o.tests.len(), 1);
    let o = test_on(
        &mut e,
        "pm.test('a', () => {}); pm.expect(1).to.equal(3);",
        &ok_json(),
    );
    assert_eq!(o.error, err("AssertionError", "expected 1 to equal 3"));
    let o = test_on(&mut e, "pm.test('never', () => {}); if (", &ok_json());
    assert_eq!(
        o.error.as_ref().map(|e| e.name.as_str()),
        Some("SyntaxError"),
        "{o:?}"
    );
    assert!(
        o.tests.is_empty(),
        "a script that does not compile runs nothing"
    );
}

#[test]
fn an_endless_loop_is_stopped_near_the_bound_and_the_engine_goes_on() {
    let limits = Limits {
        time: Duration::from_millis(200),
        ..Limits::default()
    };
    let mut e = match Engine::new(limits) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let started = Instant::now();
    let o = test_on(
        &mut e,
        "pm.test('before', () => {}); while (true) {}",
        &ok_json(),
    );
    let took = started.elapsed();
    assert!(
        took >= Duration::from_millis(200) && took < Duration::from_millis(1000),
        "{took:?}"
    );
    assert_eq!(results(&o), [("before", true, None)]);
    assert_eq!(o.error, err("Error", "Script timed out after 200 ms"));
    // Inside a test, inside a catch-all: still stopped, the test not recorded.
    let started = Instant::now();
    let o = test_on(
        &mut e,
        "pm.test('loops', () => { for (;;) { try { while (true) {} } catch (e) {} } });",
        &ok_json(),
    );
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(o.tests, []);
    assert_eq!(o.error, err("Error", "Script timed out after 200 ms"));
    let o = test_on(
        &mut e,
        "pm.test('next', () => pm.response.to.have.status(200));",
        &ok_json(),
    );
    assert_eq!(results(&o), [("next", true, None)]);
    assert!(e.inner.is_some(), "the same runtime goes on");
}

#[test]
fn endless_promise_jobs_are_stopped_and_a_fresh_runtime_takes_over() {
    let limits = Limits {
        time: Duration::from_millis(200),
        ..Limits::default()
    };
    let mut e = match Engine::new(limits) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let started = Instant::now();
    let o = test_on(
        &mut e,
        "pm.test('t', () => {}); (function f() { Promise.resolve().then(f); })();",
        &ok_json(),
    );
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(results(&o), [("t", true, None)]);
    assert_eq!(o.error, err("Error", "Script timed out after 200 ms"));
    assert!(e.inner.is_none(), "jobs were left: the runtime is dropped");
    let o = test_on(&mut e, "pm.test('fresh', () => {});", &ok_json());
    assert_eq!(results(&o), [("fresh", true, None)]);
}

#[test]
fn a_getter_that_loops_in_the_legacy_tests_object_is_stopped_too() {
    let limits = Limits {
        time: Duration::from_millis(200),
        ..Limits::default()
    };
    let mut e = match Engine::new(limits) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let started = Instant::now();
    let o = test_on(
        &mut e,
        "Object.defineProperty(tests, 'x', {enumerable: true, get() { for (;;) {} }});",
        &ok_json(),
    );
    assert!(started.elapsed() < Duration::from_millis(1000));
    assert_eq!(o.error, err("Error", "Script timed out after 200 ms"));
    let o = test_on(&mut e, "pm.test('after', () => {});", &ok_json());
    assert_eq!(results(&o), [("after", true, None)]);
}

#[test]
fn a_memory_bomb_is_stopped_by_the_memory_limit() {
    let limits = Limits {
        memory_bytes: 32 * 1024 * 1024,
        ..Limits::default()
    };
    let mut e = match Engine::new(limits) {
        Ok(e) => e,
        Err(e) => panic!("{e}"),
    };
    let o = test_on(
        &mut e,
        "pm.test('before', () => {}); const a = []; for (;;) a.push(new Array(100000).fill(1.5));",
        &ok_json(),
    );
    assert_eq!(results(&o), [("before", true, None)]);
    assert_eq!(
        o.error,
        err("Error", "Script ran out of memory (limit 32 MiB)")
    );
    // In a test, kept in a global, caught by the script: still the script's error, not a test's.
    let o = test_on(
        &mut e,
        "pm.test('bomb', () => { globalThis.keep = []; for (;;) keep.push('x'.repeat(100000) + keep.length); });",
        &ok_json(),
    );
    assert_eq!(o.tests, []);
    assert_eq!(
        o.error,
        err("Error", "Script ran out of memory (limit 32 MiB)")
    );
    let o = test_on(
        &mut e,
        "pm.test('after', () => pm.expect(typeof keep).to.equal('undefined'));",
        &ok_json(),
    );
    assert_eq!(
        results(&o),
        [("after", true, None)],
        "the global went with its script"
    );
    assert!(
        e.inner.is_some(),
        "the memory was given back: the same runtime goes on"
    );
    // Held through a prototype, the memory stays taken: the next script gets a fresh runtime.
    let o = test_on(&mut e, "Object.prototype.hoard = []; for (let i = 0; ; i++) ({}).hoard.push('x'.repeat(100000) + i);", &ok_json());
    assert_eq!(
        o.error,
        err("Error", "Script ran out of memory (limit 32 MiB)")
    );
    assert!(e.inner.is_none());
    let o = test_on(
        &mut e,
        "pm.test('fresh', () => pm.expect(({}).hoard).to.be.undefined);",
        &ok_json(),
    );
    assert_eq!(results(&o), [("fresh", true, None)]);
}

#[test]
fn unbounded_recursion_is_stopped_by_the_stack_limit() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('before', () => {}); (function f(n) { return f(n + 1) + 1; })(0);",
        &ok_json(),
    );
    assert_eq!(results(&o), [("before", true, None)]);
    assert_eq!(
        o.error,
        err("RangeError", "Maximum call stack size exceeded")
    );
    let o = test_on(
        &mut e,
        "pm.test('in a test', () => { const f = () => f(); f(); });",
        &ok_json(),
    );
    assert_eq!(
        results(&o),
        [(
            "in a test",
            false,
            Some("RangeError: Maximum call stack size exceeded")
        )]
    );
    let o = test_on(&mut e, "let d = 0; (function f() { d++; try { f(); } catch (e) {} })(); pm.test('depth', () => pm.expect(d).to.be.above(100));", &ok_json());
    assert!(all_pass(&o), "{o:?}");
}

#[test]
fn a_source_over_the_limit_is_refused_unrun() {
    let mut e = engine();
    let long = format!(
        "pm.test('ran', () => {{}}); //{}",
        "x".repeat(MAX_SOURCE_BYTES)
    );
    let o = test_on(&mut e, &long, &ok_json());
    assert_eq!(o.tests, []);
    let message = o.error.map(|e| e.message).unwrap_or_default();
    assert!(
        message.starts_with("Script is too long (1048604 bytes; the limit is 1048576 bytes)"),
        "{message}"
    );
    let fits = format!(
        "pm.test('ran', () => {{}}); //{}",
        "x".repeat(MAX_SOURCE_BYTES - 40)
    );
    assert!(all_pass(&test_on(&mut e, &fits, &ok_json())));
}

#[test]
fn an_engine_that_cannot_hold_chai_says_so() {
    let limits = Limits {
        memory_bytes: 256 * 1024,
        ..Limits::default()
    };
    match Engine::new(limits) {
        Ok(_) => panic!("Chai does not fit in 256 KiB"),
        Err(e) => assert!(
            e.message
                .starts_with("the script engine did not start: chai.js"),
            "{e}"
        ),
    }
}
