//! Hostile input: huge sources, cyclic values, NUL, odd numbers.

use super::*;

#[test]
fn values_json_cannot_hold_are_stored_as_their_string_form() {
    let mut e = engine();
    let mut vars = Vars::default();
    let o = test_with_vars(
        &mut e,
        "const cyc = {a: 1}; cyc.self = cyc;
         pm.environment.set('cyclic', cyc);
         pm.environment.set('fn', function f() { return 1; });
         pm.environment.set('undef', undefined);
         pm.environment.set('nan', NaN);
         pm.environment.set('inf', -Infinity);
         pm.environment.set('big', 10n);
         pm.environment.set('huge', 1e308);
         pm.environment.set('deep', JSON.parse('['.repeat(200) + ']'.repeat(200)));
         let deeper = []; for (let i = 0; i < 100000; i++) deeper = [deeper];
         pm.environment.set('deeper', deeper);
         const bad = {toString() { throw new Error('no'); }, toJSON() { throw new Error('no'); }};
         pm.environment.set('bad', bad);
         pm.test('read back', () => {
             pm.expect(pm.environment.get('cyclic')).to.equal('[object Object]');
             pm.expect(pm.environment.get('nan')).to.equal('NaN');
             pm.expect(pm.environment.get('huge')).to.equal(1e308);
         });",
        &mut vars,
    );
    assert!(all_pass(&o), "{o:?}");
    let get = |k: &str| {
        vars.environment
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("cyclic"), Some(json!("[object Object]")));
    assert_eq!(get("fn"), Some(json!("function f() { return 1; }")));
    assert_eq!(get("undef"), Some(json!("undefined")));
    assert_eq!(get("nan"), Some(json!("NaN")));
    assert_eq!(get("inf"), Some(json!("-Infinity")));
    assert_eq!(get("big"), Some(json!("10")));
    assert_eq!(get("huge"), Some(json!(1e308)));
    let deep = get("deep");
    assert_eq!(
        deep,
        Some(json!(format!("{}{}", "[".repeat(200), "]".repeat(200)))),
        "too deep for serde_json: its text"
    );
    assert!(
        matches!(get("deeper"), Some(Value::String(_))),
        "{:?}",
        get("deeper").map(|v| v.to_string().len())
    );
    assert_eq!(get("bad"), Some(json!("[unprintable value]")));
}

#[test]
fn nul_surrogates_and_odd_keys_pass_through_unharmed() {
    let mut e = engine();
    let mut vars = vars_of(json!({"nul\u{0}key": "a\u{0}b"}), json!({}), json!({}));
    let o = test_with_vars(
        &mut e,
        "pm.test('nul\\u0000name', () => pm.expect(pm.environment.get('nul\\u0000key')).to.equal('a\\u0000b'));
         pm.test('\\ud800 lone', () => {});
         pm.environment.set('__proto__', {x: 1});
         pm.environment.set('lone', '\\udc00x\\ud83d');
         pm.environment.set('obj', {'\\ud800': 1, ok: '\\u0000'});
         pm.test('proto', () => { pm.expect(pm.environment.get('__proto__')).to.eql({x: 1}); pm.expect(Object.keys(pm.environment.toObject())).to.include('__proto__'); });
         console.log('\\u0000\\ud800');
         postman.setNextRequest('\\udfff');",
        &mut vars,
    );
    assert!(all_pass(&o), "{o:?}");
    assert_eq!(o.tests[0].name, "nul\u{0}name");
    assert_eq!(o.tests[1].name, "\u{fffd} lone");
    assert_eq!(o.console[0].1, "\u{0}\u{fffd}");
    assert_eq!(o.next_request, Some(Some("\u{fffd}".into())));
    let get = |k: &str| {
        vars.environment
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(get("nul\u{0}key"), Some(json!("a\u{0}b")));
    assert_eq!(get("__proto__"), Some(json!({"x": 1})));
    assert_eq!(get("lone"), Some(json!("\u{fffd}x\u{fffd}")));
    assert_eq!(get("obj"), Some(json!({"\u{fffd}": 1, "ok": "\u{0}"})));
    // A NUL in the source itself.
    let o = test_on(
        &mut e,
        "pm.test('a\u{0}b', () => pm.expect('\u{0}'.length).to.equal(1));",
        &ok_json(),
    );
    assert_eq!(results(&o), [("a\u{0}b", true, None)]);
}

#[test]
fn huge_numbers_and_strings_from_rust_reach_the_script_intact() {
    let mut e = engine();
    let mut vars = vars_of(
        json!({"max": u64::MAX, "min": i64::MIN, "f": 1.7976931348623157e308, "tiny": 5e-324, "s": "x".repeat(100_000)}),
        json!({}),
        json!({}),
    );
    let o = test_with_vars(
        &mut e,
        "pm.test('n', () => {
             pm.expect(pm.environment.get('max')).to.equal(18446744073709551615);
             pm.expect(pm.environment.get('min')).to.equal(-9223372036854775808);
             pm.expect(pm.environment.get('f')).to.equal(Number.MAX_VALUE);
             pm.expect(pm.environment.get('tiny')).to.equal(5e-324);
             pm.expect(pm.environment.get('s')).to.have.lengthOf(100000);
         });",
        &mut vars,
    );
    assert!(all_pass(&o), "{o:?}");
}

#[test]
fn globals_a_script_adds_go_with_it() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "var local = 1; leaked = 2; globalThis.g = 3; function fn() {}",
        &ok_json(),
    );
    assert_eq!(o.error, None);
    let o = test_on(
        &mut e,
        "pm.test('gone', () => {
             pm.expect(typeof local).to.equal('undefined');
             pm.expect(typeof leaked).to.equal('undefined');
             pm.expect(typeof g).to.equal('undefined');
             pm.expect(typeof fn).to.equal('undefined');
         });",
        &ok_json(),
    );
    assert_eq!(results(&o), [("gone", true, None)]);
}

#[test]
fn a_script_that_breaks_the_builtins_costs_only_its_own_outcome() {
    let mut e = engine();
    let o = test_on(&mut e, "pm.test('t', () => {}); JSON.stringify = () => { throw new Error('sabotage'); }; Array.prototype.map = null;", &ok_json());
    assert_eq!(
        results(&o),
        [("t", true, None)],
        "the prelude holds its own references"
    );
    let o = test_on(&mut e, "pm.test('t', () => {}); Object.defineProperty(Array.prototype, 'push', {value: () => { throw new Error('no push'); }});", &ok_json());
    assert!(o.error.is_some(), "{o:?}");
    // Whatever the damage, a later script runs on a sound runtime or a fresh one.
    let o = test_on(
        &mut e,
        "pm.test('after', () => pm.response.to.have.status(200));",
        &ok_json(),
    );
    assert_eq!(results(&o), [("after", true, None)]);
}

#[test]
fn pm_send_request_says_it_is_not_there() {
    let mut e = engine();
    let o = test_on(&mut e, "pm.sendRequest('http://x', () => {});", &ok_json());
    assert_eq!(
        o.error,
        err(
            "Error",
            "pm.sendRequest is not supported in the sandbox's monitor runs"
        )
    );
}

#[test]
fn bytes_are_shown_in_mib_when_they_are_whole_or_half() {
    assert_eq!(bytes_text(64 * 1024 * 1024), "64 MiB");
    assert_eq!(bytes_text(3 * 512 * 1024), "1.5 MiB");
    assert_eq!(bytes_text(1000), "1000 bytes");
}

/// Figures, not checks: `cargo test -p postman-sandbox --lib monitors::script::tests::timings --
/// --ignored --nocapture` (add `--release` for a release build).
#[test]
#[ignore]
fn timings() {
    let started = Instant::now();
    let mut e = engine();
    let new = started.elapsed();
    let rounds = 200u32;
    let resp = ok_json();
    let started = Instant::now();
    for _ in 0..rounds {
        let _ = test_on(&mut e, "", &resp);
    }
    let trivial = started.elapsed() / rounds;
    let started = Instant::now();
    for _ in 0..rounds {
        let _ = test_on(&mut e, "pm.test('status', () => pm.response.to.have.status(200)); pm.test('body', () => pm.expect(pm.response.json().ok).to.equal(true));", &resp);
    }
    let typical = started.elapsed() / rounds;
    let mut depth = 0;
    if let Some(inner) = e.inner.as_ref() {
        depth = inner.ctx.with(|ctx| {
            ctx.eval::<i32, _>("let d = 0; (function f() { d++; try { f(); } catch (e) {} })(); d")
                .unwrap_or(-1)
        });
        inner.rt.run_gc();
        println!(
            "memory after load: {} bytes",
            inner.rt.memory_usage().malloc_size
        );
    }
    println!("Engine::new {new:?}; empty script {trivial:?}; two-test script {typical:?}; JS call depth {depth}");
}
