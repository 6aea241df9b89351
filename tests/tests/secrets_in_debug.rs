//! Secrets in requests never reach `Debug` output (logs, panics, `tracing` fields): a password,
//! secret key or token parameter prints as `***`, the other fields as derived `Debug` prints
//! them, and the value still goes on the wire.

use alibabacloud_sas20181203 as sas;

#[test]
fn a_required_password_is_redacted_in_the_request_and_its_required_fields() {
    let required = sas::AddPrivateRegistryRequired {
        domain_name: "registry.example.com".to_owned(),
        net_type: 1,
        password: "hunter2-secret".to_owned(),
        protocol_type: 2,
        registry_host_ip: "10.0.0.1".to_owned(),
        registry_region_id: "cn-hangzhou".to_owned(),
        registry_type: "harbor".into(),
        registry_version: "v2".into(),
        user_name: "admin".to_owned(),
    };
    let shown = format!("{required:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains(r#"password: "***""#), "{shown}");
    assert!(shown.contains(r#"user_name: "admin""#), "{shown}");

    let request = sas::AddPrivateRegistryRequest::new(required).port(443);
    let shown = format!("{request:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(
        shown.starts_with("AddPrivateRegistryRequest { domain_name: \"registry.example.com\""),
        "{shown}"
    );
    assert!(shown.contains(r#"password: "***""#), "{shown}");
    assert!(shown.contains("port: Some(443)"), "{shown}");
    // The value itself is untouched.
    assert_eq!(request.password, "hunter2-secret");
}

#[test]
fn an_optional_secret_shows_whether_it_is_set_but_not_its_value() {
    let unset = sas::ModifyImageRegistryRequest::new().user_name("admin");
    assert!(format!("{unset:?}").contains("password: None"), "{unset:?}");
    let set = unset.password("hunter2-secret");
    let shown = format!("{set:?}");
    assert!(!shown.contains("hunter2"), "{shown}");
    assert!(shown.contains(r#"password: Some("***")"#), "{shown}");
    assert!(shown.contains(r#"user_name: Some("admin")"#), "{shown}");
}

#[test]
fn cursors_and_idempotency_tokens_are_not_secrets() {
    let request = sas::DescribeVulListRequest::new(sas::DescribeVulListRequired {
        r#type: "cve".into(),
    })
    .next_token("cursor-42");
    assert!(format!("{request:?}").contains("cursor-42"), "{request:?}");
}
