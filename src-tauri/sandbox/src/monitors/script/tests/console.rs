//! `console.*` lines and `setNextRequest`.

use super::*;

#[test]
fn console_lines_are_captured_formatted_and_bounded() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "console.log('a', 1, true, null, undefined, {k: [1, 'x']}, [1, 2]);
         console.info('info'); console.warn('warn'); console.error(new TypeError('bad')); console.debug(() => 1, function named() {});
         const c = {name: 'c'}; c.self = c; console.log(c);
         console.log('x'.repeat(5000));
         console.log('é'.repeat(999) + '😀');",
        &ok_json(),
    );
    let lines: Vec<(&str, &str)> = o
        .console
        .iter()
        .map(|(l, t)| (l.as_str(), t.as_str()))
        .collect();
    assert_eq!(
        lines[0],
        ("log", r#"a 1 true null undefined {"k":[1,"x"]} [1,2]"#)
    );
    assert_eq!(lines[1], ("info", "info"));
    assert_eq!(lines[2], ("warn", "warn"));
    assert_eq!(lines[3], ("error", "TypeError: bad"));
    assert_eq!(
        lines[4],
        ("debug", "[Function: (anonymous)] [Function: named]")
    );
    assert_eq!(lines[5], ("log", r#"{"name":"c","self":"[Circular]"}"#));
    assert_eq!(lines[6], ("log", "x".repeat(CONSOLE_LINE_CHARS).as_str()));
    assert_eq!(
        lines[7].1.chars().count(),
        999,
        "a surrogate pair is not split"
    );
    assert_eq!(o.console_dropped, 0);
    let o = test_on(
        &mut e,
        "for (let i = 0; i < 250; i++) console.log('line', i);",
        &ok_json(),
    );
    assert_eq!(o.console.len(), CONSOLE_LINES);
    assert_eq!(o.console[99].1, "line 99");
    assert_eq!(o.console_dropped, 150);
    let o = test_on(&mut e, "console.log('fresh count');", &ok_json());
    assert_eq!((o.console.len(), o.console_dropped), (1, 0), "per script");
}

#[test]
fn set_next_request_is_recorded() {
    let mut e = engine();
    assert_eq!(
        test_on(&mut e, "pm.test('t', () => {});", &ok_json()).next_request,
        None
    );
    assert_eq!(
        test_on(&mut e, "postman.setNextRequest('Login');", &ok_json()).next_request,
        Some(Some("Login".into()))
    );
    assert_eq!(
        test_on(&mut e, "pm.execution.setNextRequest(null);", &ok_json()).next_request,
        Some(None)
    );
    assert_eq!(
        test_on(
            &mut e,
            "pm.execution.setNextRequest(null); postman.setNextRequest('Last wins');",
            &ok_json()
        )
        .next_request,
        Some(Some("Last wins".into()))
    );
    let o = test_on(
        &mut e,
        "postman.setNextRequest('Kept'); throw new Error('after');",
        &ok_json(),
    );
    assert_eq!(
        (o.next_request, o.error.map(|e| e.message)),
        (Some(Some("Kept".into())), Some("after".into()))
    );
}
