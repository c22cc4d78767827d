//! `pm.response` and Postman's own assertions (`pm.response.to.…`).

use super::*;

/// `(assertion, passes on `resp`, message when it fails)`, each checked as is and with `.not`.
fn check_assertions(e: &mut Engine, resp: &Response, cases: &[(&str, bool, &str, &str)]) {
    for (assertion, passes, message, not_message) in cases {
        let plain = test_on(
            e,
            &format!("pm.test('t', () => {{ pm.response.to.{assertion}; }});"),
            resp,
        );
        let negated = test_on(
            e,
            &format!("pm.test('t', () => {{ pm.response.to.not.{assertion}; }});"),
            resp,
        );
        let (passing, failing, message) = if *passes {
            (plain, negated, not_message)
        } else {
            (negated, plain, message)
        };
        assert!(all_pass(&passing), "{assertion}: {passing:?}");
        assert_eq!(
            failure(&failing),
            format!("AssertionError: {message}"),
            "{assertion}"
        );
    }
}

#[test]
fn status_assertions_pass_fail_and_negate_in_postmans_words() {
    let mut e = engine();
    let broken = response(500, "Internal Server Error", "down");
    check_assertions(
        &mut e,
        &broken,
        &[
            (
                "have.status(200)",
                false,
                "expected response to have status code 200 but got 500",
                "",
            ),
            (
                "have.status(500)",
                true,
                "",
                "expected response to not have status code 500",
            ),
            (
                "have.status('OK')",
                false,
                "expected response to have status reason 'OK' but got 'Internal Server Error'",
                "",
            ),
            (
                "have.status('Internal Server Error')",
                true,
                "",
                "expected response to not have status reason 'Internal Server Error'",
            ),
            (
                "have.statusCode(500)",
                true,
                "",
                "expected response to not have status code 500",
            ),
            (
                "be.ok",
                false,
                "expected response to have status reason 'OK' but got 'INTERNAL SERVER ERROR'",
                "",
            ),
            (
                "be.success",
                false,
                "expected response code to be 2XX but found 500",
                "",
            ),
            (
                "be.error",
                true,
                "",
                "expected response code to not be 4XX or 5XX",
            ),
            (
                "be.serverError",
                true,
                "",
                "expected response code to not be 5XX",
            ),
            (
                "be.clientError",
                false,
                "expected response code to be 4XX but found 500",
                "",
            ),
        ],
    );
    let ok = ok_json();
    check_assertions(
        &mut e,
        &ok,
        &[
            (
                "have.status(200)",
                true,
                "",
                "expected response to not have status code 200",
            ),
            (
                "be.ok",
                true,
                "",
                "expected response to not have status reason 'OK'",
            ),
            (
                "be.success",
                true,
                "",
                "expected response code to not be 2XX",
            ),
            (
                "be.error",
                false,
                "expected response code to be 4XX or 5XX but found 200",
                "",
            ),
            (
                "be.serverError",
                false,
                "expected response code to be 5XX but found 200",
                "",
            ),
        ],
    );
    let missing = response(404, "Not Found", "");
    check_assertions(
        &mut e,
        &missing,
        &[
            (
                "be.notFound",
                true,
                "",
                "expected response to not have status reason 'NOT FOUND'",
            ),
            (
                "be.clientError",
                true,
                "",
                "expected response code to not be 4XX",
            ),
            (
                "be.badRequest",
                false,
                "expected response to have status reason 'BAD REQUEST' but got 'NOT FOUND'",
                "",
            ),
        ],
    );
    // `ok` on anything else than a response is still Chai's.
    let o = test_on(
        &mut e,
        "pm.test('a', () => pm.expect(1).to.be.ok); pm.test('b', () => pm.expect('').to.be.ok);",
        &ok,
    );
    assert_eq!(
        results(&o),
        [
            ("a", true, None),
            ("b", false, Some("AssertionError: expected '' to be truthy"))
        ]
    );
    // Postman's assertions want a response.
    let o = test_on(
        &mut e,
        "pm.test('t', () => pm.expect({code: 200}).to.have.status(200));",
        &ok,
    );
    assert_eq!(
        failure(&o),
        "AssertionError: expecting a postman response object but got { code: 200 }"
    );
}

#[test]
fn header_assertions() {
    let mut e = engine();
    check_assertions(
        &mut e,
        &ok_json(),
        &[
            (
                "have.header('content-type')",
                true,
                "",
                "expected response to not have header with key 'content-type'",
            ),
            (
                "have.header('X-Missing')",
                false,
                "expected response to have header with key 'X-Missing'",
                "",
            ),
            // With a value, `.not` fails on the name first, as in Postman.
            (
                "have.header('Content-Type', 'application/json; charset=utf-8')",
                true,
                "",
                "expected response to not have header with key 'Content-Type'",
            ),
            (
                "have.header('X-TRACE', 'second')",
                true,
                "",
                "expected response to not have header with key 'X-TRACE'",
            ),
        ],
    );
    let o = test_on(
        &mut e,
        "pm.test('t', () => pm.response.to.have.header('Content-Type', 'text/plain'));",
        &ok_json(),
    );
    assert_eq!(
        failure(&o),
        "AssertionError: expected 'Content-Type' response header to be 'text/plain' but got 'application/json; charset=utf-8'"
    );
    let o = test_on(
        &mut e,
        "pm.test('t', () => pm.response.to.have.header('X-Trace', 'first'));",
        &ok_json(),
    );
    assert_eq!(
        failure(&o),
        "AssertionError: expected 'X-Trace' response header to be 'first' but got 'second'",
        "the last of two"
    );
}

#[test]
fn body_and_json_assertions() {
    let mut e = engine();
    let ok = ok_json();
    check_assertions(
        &mut e,
        &ok,
        &[
            ("be.json", true, "", "expected response body not to be a valid json"),
            ("have.jsonBody()", true, "", "expected response body not to be a valid json"),
            ("have.jsonBody('user.name')", true, "", "expected { ok: true, n: 3, user: { …(2) } } in response to not contain property 'user.name'"),
            ("have.jsonBody('user.tags[1]')", true, "", "expected { ok: true, n: 3, user: { …(2) } } in response to not contain property 'user.tags[1]'"),
            ("have.jsonBody('user.name', 'Ada')", true, "", "expected { ok: true, n: 3, user: { …(2) } } in response to not contain property 'user.name'"),
            ("have.body()", true, "", "expected response to not have content in body"),
            ("have.body(/\"n\":3/)", true, "", "expected response body text '{\"ok\":true,\"n\":3,\"user\":{\"name\":\"Ada\"…' to not match /\"n\":3/"),
            (
                "have.body({ok: true, n: 3, user: {name: 'Ada', tags: ['a', 'b']}})",
                true,
                "",
                "expected response body json to not equal { ok: true, n: 3, user: { …(2) } } but got { ok: true, n: 3, user: { …(2) } }",
            ),
            ("have.body({ok: false})", false, "expected response body json to equal { ok: false } but got { ok: true, n: 3, user: { …(2) } }", ""),
            ("have.body('nope')", false, "expected response body to equal 'nope' but got '{\"ok\":true,\"n\":3,\"user\":{\"name\":\"Ada\"…'", ""),
            ("be.withBody", true, "", "expected response to not have content in body"),
        ],
    );
    // A missing path, a wrong value, in Postman's words (Chai's inspection truncates).
    let o = test_on(
        &mut e,
        "pm.test('t', () => pm.response.to.have.jsonBody('user.age'));",
        &ok,
    );
    assert_eq!(failure(&o), "AssertionError: expected { ok: true, n: 3, user: { …(2) } } in response to contain property 'user.age'");
    let o = test_on(
        &mut e,
        "pm.test('t', () => pm.response.to.have.jsonBody('n', 4));",
        &ok,
    );
    assert_eq!(
        failure(&o),
        "AssertionError: expected response body json at \"n\" to contain 4 but got 3"
    );
    let o = test_on(
        &mut e,
        "pm.test('t', () => pm.response.to.have.jsonBody('user.tags[0]', 'a'));",
        &ok,
    );
    assert!(all_pass(&o), "{o:?}");

    let text = response(200, "OK", "plain text");
    check_assertions(
        &mut e,
        &text,
        &[
            (
                "have.body('plain text')",
                true,
                "",
                "expected response body to not equal 'plain text'",
            ),
            (
                "have.body('other')",
                false,
                "expected response body to equal 'other' but got 'plain text'",
                "",
            ),
            (
                "be.json",
                false,
                "expected response body to be a valid json but got error Unexpected token: 'plain'",
                "",
            ),
            (
                "have.jsonBody()",
                false,
                "expected response body to be a valid json but got error Unexpected token: 'plain'",
                "",
            ),
        ],
    );
    let empty = response(204, "No Content", "");
    check_assertions(
        &mut e,
        &empty,
        &[
            ("have.body()", false, "expected response to have content in body", ""),
            ("be.json", false, "expected response body to be a valid json but got error Unexpected end of JSON input (the body is empty)", ""),
            ("be.withoutContent", true, "", "expected response to not have status reason 'NO CONTENT'"),
        ],
    );
}

#[test]
fn response_json_parses_or_throws_a_json_error() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('valid', () => { const j = pm.response.json(); pm.expect(j.user.tags).to.eql(['a', 'b']); pm.expect(j).not.to.equal(pm.response.json()); });",
        &ok_json(),
    );
    assert!(all_pass(&o), "{o:?}");
    let o = test_on(
        &mut e,
        "try { pm.response.json(); } catch (e) {
             console.log(e.name, e instanceof Error, e.message);
         }
         pm.response.json();",
        &response(200, "OK", "{\"a\": 1,"),
    );
    assert_eq!(
        o.console,
        [(
            "log".to_owned(),
            "JSONError true Expected property name or '}' at 1:9\n{\"a\": 1,".to_owned()
        )]
    );
    assert_eq!(
        o.error,
        err(
            "JSONError",
            "Expected property name or '}' at 1:9\n{\"a\": 1,"
        )
    );
    // A byte-order mark is skipped, as Postman does.
    let o = test_on(
        &mut e,
        "pm.test('bom', () => pm.expect(pm.response.json()).to.eql([1]));",
        &response(200, "OK", "\u{feff}[1]"),
    );
    assert!(all_pass(&o), "{o:?}");
}

#[test]
fn response_fields_and_headers() {
    let mut e = engine();
    let mut resp = ok_json();
    resp.body.extend_from_slice(b"\xff");
    let o = test_on(
        &mut e,
        "const r = pm.response, h = r.headers;
         pm.test('fields', () => {
             pm.expect(r.code).to.equal(200);
             pm.expect(r.status).to.equal('OK');
             pm.expect(r.reason()).to.equal('OK');
             pm.expect(r.responseTime).to.equal(42);
             pm.expect(r.responseSize).to.equal(56);
             pm.expect(r.text().endsWith('}\\uFFFD')).to.be.true;
         });
         pm.test('headers', () => {
             pm.expect(h.get('content-type')).to.equal('application/json; charset=utf-8');
             pm.expect(h.get('x-trace')).to.equal('second');
             pm.expect(h.get('missing')).to.be.undefined;
             pm.expect(h.has('CONTENT-TYPE')).to.be.true;
             pm.expect(h.has('X-Trace', 'first')).to.be.true;
             pm.expect(h.has('X-Trace', 'third')).to.be.false;
             pm.expect(h.has('nope')).to.be.false;
             pm.expect(h.count()).to.equal(3);
             pm.expect(h.toObject()).to.eql({'Content-Type': 'application/json; charset=utf-8', 'X-Trace': 'first', 'x-trace': 'second'});
             pm.expect(h.all()[1]).to.eql({key: 'X-Trace', value: 'first'});
             pm.expect([...h].map(x => x.key)).to.eql(['Content-Type', 'X-Trace', 'x-trace']);
             const seen = []; h.each(x => seen.push(x.value)); pm.expect(seen.length).to.equal(3);
         });
         pm.test('info', () => {
             pm.expect(pm.info).to.eql({eventName: 'test', requestName: 'Get user', requestId: 'req-1', iteration: 0, iterationCount: 1});
         });",
        &resp,
    );
    assert_eq!(
        results(&o),
        [
            ("fields", true, None),
            ("headers", true, None),
            ("info", true, None)
        ]
    );
}
