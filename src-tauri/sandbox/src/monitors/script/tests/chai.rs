//! `pm.test` and Chai's assertions.

use super::*;

#[test]
fn a_passing_and_a_failing_test_carry_chais_message() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('status is 200', function () { pm.expect(pm.response.code).to.equal(200); });
         pm.test('body ok', () => pm.expect(pm.response.json().ok).to.equal(true));",
        &response(500, "Internal Server Error", r#"{"ok":false}"#),
    );
    assert_eq!(
        results(&o),
        [
            (
                "status is 200",
                false,
                Some("AssertionError: expected 500 to equal 200")
            ),
            (
                "body ok",
                false,
                Some("AssertionError: expected false to equal true")
            ),
        ]
    );
    assert_eq!(o.error, None);
    let o = test_on(
        &mut e,
        "pm.test('status is 200', () => pm.expect(pm.response.code).to.equal(200));",
        &ok_json(),
    );
    assert_eq!(results(&o), [("status is 200", true, None)]);
}

#[test]
fn chais_common_assertions_are_the_real_ones() {
    let mut e = engine();
    let passing = [
        "pm.expect(1 + 1).to.equal(2)",
        "pm.expect({a: [1, {b: 2}]}).to.eql({a: [1, {b: 2}]})",
        "pm.expect({a: 1}).to.deep.equal({a: 1})",
        "pm.expect('x').to.be.a('string')",
        "pm.expect([]).to.be.an('array')",
        "pm.expect([1, 2, 3]).to.include(2)",
        "pm.expect('hello world').to.include('lo w')",
        "pm.expect({a: {b: 1}}).to.have.property('a')",
        "pm.expect({a: {b: 1}}).to.have.nested.property('a.b', 1)",
        "pm.expect([1, 2]).to.have.lengthOf(2)",
        "pm.expect(5).to.be.above(4)",
        "pm.expect(5).to.be.below(6)",
        "pm.expect(5).to.be.within(1, 10)",
        "pm.expect(true).to.be.true",
        "pm.expect(false).to.be.false",
        "pm.expect(null).to.be.null",
        "pm.expect(undefined).to.be.undefined",
        "pm.expect('x').to.be.ok",
        "pm.expect('abc123').to.match(/\\d+$/)",
        "pm.expect({a: 1, b: 2}).to.have.keys('a', 'b')",
        "pm.expect({a: 1, b: 2}).to.have.all.keys('a', 'b')",
        "pm.expect(1).to.not.equal(2)",
        "pm.expect([1, 2]).to.be.an('array').that.is.not.empty",
        "pm.expect(2).to.be.oneOf([1, 2])",
        "pm.expect(() => { throw new TypeError('bad'); }).to.throw(TypeError, 'bad')",
        "pm.expect('a').to.be.a('string').and.have.lengthOf(1)",
    ];
    let source: String = passing
        .iter()
        .enumerate()
        .map(|(i, a)| format!("pm.test('p{i}', () => {{ {a}; }});\n"))
        .collect();
    let o = test_on(&mut e, &source, &ok_json());
    assert_eq!(o.tests.len(), passing.len());
    for (t, a) in o.tests.iter().zip(passing) {
        assert!(t.passed, "{a}: {:?}", t.error);
    }
    let failing = [
        (
            "pm.expect({a: 1}).to.eql({a: 2})",
            "AssertionError: expected { a: 1 } to deeply equal { a: 2 }",
        ),
        (
            "pm.expect(3).to.be.a('string')",
            "AssertionError: expected 3 to be a string",
        ),
        (
            "pm.expect([1, 2]).to.include(3)",
            "AssertionError: expected [ 1, 2 ] to include 3",
        ),
        (
            "pm.expect({}).to.have.property('id')",
            "AssertionError: expected {} to have property 'id'",
        ),
        (
            "pm.expect([1]).to.have.lengthOf(2)",
            "AssertionError: expected [ 1 ] to have a length of 2 but got 1",
        ),
        (
            "pm.expect(3).to.be.above(4)",
            "AssertionError: expected 3 to be above 4",
        ),
        (
            "pm.expect(30).to.be.within(1, 10)",
            "AssertionError: expected 30 to be within 1..10",
        ),
        (
            "pm.expect(0).to.be.ok",
            "AssertionError: expected +0 to be truthy",
        ),
        (
            "pm.expect(1).to.not.equal(1)",
            "AssertionError: expected 1 to not equal 1",
        ),
        (
            "pm.expect('abc').to.match(/^\\d/)",
            "AssertionError: expected 'abc' to match /^\\d/",
        ),
        (
            "pm.expect({a: 1}).to.have.keys('b')",
            "AssertionError: expected { a: 1 } to have key 'b'",
        ),
        (
            "pm.expect(null).to.be.undefined",
            "AssertionError: expected null to be undefined",
        ),
        (
            "pm.expect(1, 'custom').to.equal(2)",
            "AssertionError: custom: expected 1 to equal 2",
        ),
    ];
    for (a, message) in failing {
        let o = test_on(
            &mut e,
            &format!("pm.test('f', () => {{ {a}; }});"),
            &ok_json(),
        );
        assert_eq!(failure(&o), message, "{a}");
    }
}

#[test]
fn chai_is_the_vendored_bundle_and_needs_no_require() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('chai', () => {
             pm.expect(typeof require).to.equal('undefined');
             pm.expect(typeof module).to.equal('undefined');
             pm.expect(pm.expect).to.equal(chai.expect);
             pm.expect(chai.version).to.equal('4.3.8');
             pm.expect(new chai.AssertionError('x').name).to.equal('AssertionError');
         });",
        &ok_json(),
    );
    assert_eq!(results(&o), [("chai", true, None)]);
    assert!(
        CHAI_JS.contains("exports.version = '4.3.8';"),
        "the 4.5.0 bundle reports 4.3.8"
    );
}

#[test]
fn a_thrown_non_assertion_fails_the_test_with_its_name() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('type', () => { null.x; });
         pm.test('string', () => { throw 'boom'; });
         pm.test('custom', () => { const er = new Error('bad'); er.name = 'MyError'; throw er; });
         pm.test('no message', () => { throw new RangeError(); });",
        &ok_json(),
    );
    assert_eq!(
        results(&o),
        [
            (
                "type",
                false,
                Some("TypeError: cannot read property 'x' of null")
            ),
            ("string", false, Some("Error: boom")),
            ("custom", false, Some("MyError: bad")),
            ("no message", false, Some("RangeError")),
        ]
    );
}

#[test]
fn skipped_tests_and_tests_without_a_function_are_listed_apart() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test.skip('later', () => { throw 1; }); pm.test('no fn'); pm.test('real', () => {});",
        &ok_json(),
    );
    assert_eq!(results(&o), [("real", true, None)]);
    assert_eq!(o.skipped, ["later", "no fn"]);
}

#[test]
fn a_test_returning_a_promise_is_settled_with_it() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "pm.test('resolves', () => Promise.resolve(1));
         pm.test('rejects', () => Promise.reject(new TypeError('late')));
         pm.test('async fails', async () => { await null; pm.expect(1).to.equal(2); });
         pm.test('never', () => new Promise(() => {}));
         Promise.resolve().then(() => pm.test('in a job', () => {}));",
        &ok_json(),
    );
    assert_eq!(
        results(&o),
        [
            ("resolves", true, None),
            ("rejects", false, Some("TypeError: late")),
            (
                "async fails",
                false,
                Some("AssertionError: expected 1 to equal 2")
            ),
            (
                "never",
                false,
                Some("Error: the test's promise did not settle before the script ended")
            ),
            ("in a job", true, None),
        ]
    );
}

#[test]
fn legacy_tests_object_records_tests_after_pm_test_ones() {
    let mut e = engine();
    let o = test_on(
        &mut e,
        "tests['legacy pass'] = responseCode.code === 200; tests['legacy fail'] = 0; pm.test('modern', () => {});
         pm.test('legacy globals', () => { pm.expect(responseBody).to.equal(pm.response.text()); pm.expect(responseTime).to.equal(42); });",
        &ok_json(),
    );
    assert_eq!(
        results(&o),
        [
            ("modern", true, None),
            ("legacy globals", true, None),
            ("legacy pass", true, None),
            (
                "legacy fail",
                false,
                Some("AssertionError: expected tests[\"legacy fail\"] to be truthy")
            ),
        ]
    );
}
