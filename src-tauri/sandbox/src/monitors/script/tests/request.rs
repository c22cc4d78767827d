//! `pm.request`, and what a pre-request script may change of it.

use super::*;

#[test]
fn a_pre_request_script_changes_the_request_to_send() {
    let mut e = engine();
    let mut vars = Vars::default();
    let mut req = request();
    req.headers.push(("X-Old".into(), "1".into()));
    req.headers.push(("x-old".into(), "2".into()));
    req.body = Some("{\"q\":1}".into());
    let o = e.run(
        "pm.test('sees', () => {
             pm.expect(pm.request.method).to.equal('GET');
             pm.expect(pm.request.url.toString()).to.equal('http://127.0.0.1:9/users/{{id}}');
             pm.expect(pm.request.headers.get('accept')).to.equal('application/json');
             pm.expect(pm.request.body).to.equal('{\"q\":1}');
             pm.expect(pm.response).to.be.undefined;
             pm.expect(typeof responseBody).to.equal('undefined');
             pm.expect(pm.info.eventName).to.equal('prerequest');
         });
         pm.request.headers.add({key: 'X-Added', value: 42});
         pm.request.headers.add('X-Line: from a string');
         pm.request.headers.upsert({key: 'accept', value: 'text/plain'});
         pm.request.headers.upsert({key: 'X-New', value: 'n'});
         pm.request.headers.remove('X-OLD');
         pm.request.url = 'http://127.0.0.1:9/other';
         pm.request.method = 'POST';
         pm.test('header assertion on the request', () => pm.request.to.have.header('X-Added', '42'));",
        &info(Event::Prerequest),
        &mut vars,
        &mut req,
        None,
    );
    assert!(all_pass(&o), "{o:?}");
    assert_eq!(
        req.headers,
        vec![
            ("Accept".to_owned(), "text/plain".to_owned()),
            ("X-Added".to_owned(), "42".to_owned()),
            ("X-Line".to_owned(), "from a string".to_owned()),
            ("X-New".to_owned(), "n".to_owned()),
        ]
    );
    assert_eq!(req.url, "http://127.0.0.1:9/other");
    assert_eq!(req.method, "POST");
    assert_eq!(
        req.body.as_deref(),
        Some("{\"q\":1}"),
        "the body is read-only"
    );
}

#[test]
fn a_test_script_does_not_change_the_sent_request() {
    let mut e = engine();
    let mut req = request();
    let before = req.clone();
    let o = e.run(
        "pm.request.headers.add({key: 'X-Late', value: '1'}); pm.request.url = 'x'; pm.test('t', () => pm.expect(pm.request.headers.has('X-Late')).to.be.true);",
        &info(Event::Test),
        &mut Vars::default(),
        &mut req,
        Some(&ok_json()),
    );
    assert!(all_pass(&o), "{o:?}");
    assert_eq!(req, before);
}
