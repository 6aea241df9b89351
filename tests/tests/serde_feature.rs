//! The generated crate's `serde` feature: responses and value enums serialize to the JSON that
//! `ToJson::to_json` gives (wire names, `extra_fields` kept in place) and deserialize with the
//! lenient conversions of `FromJson`.

use alibabacloud_runtime::{FromJson, ToJson, Value};
use alibabacloud_sas20181203 as sas;
use serde_json::json;

type Response = sas::CreateContainerScanTaskByAppNameResponse;

fn sample() -> Value {
    json!({
        "RequestId": "1EE7B150-D67E-53FD-A52D-3E8E669A0000",
        "Data": {
            "TaskId": "fc98d58eb56f699d49bf7ebbd6d70000",
            "TotalCount": "5",
            "Status": "SUCCESS",
            "Result": "NOT_YET_DOCUMENTED",
            "CanCreate": true,
            "Extra": {"kept": [1, 2]}
        },
        "HttpStatusCode": 200
    })
}

#[test]
fn a_response_serializes_as_its_wire_json_and_deserializes_back() {
    let decoded = Response::from_json(sample()).expect("decodes");
    let text = serde_json::to_string(&decoded).expect("serializes");
    let written: Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(written, decoded.to_json());
    // Wire names, the number as a number now, the unknown enum value and the extra member as sent.
    assert_eq!(written["Data"]["TotalCount"], json!(5));
    assert_eq!(written["Data"]["Result"], json!("NOT_YET_DOCUMENTED"));
    assert_eq!(written["Data"]["Extra"], json!({"kept": [1, 2]}));
    let back: Response = serde_json::from_str(&text).expect("deserializes");
    assert_eq!(back, decoded);
}

#[test]
fn deserializing_is_as_lenient_as_decoding() {
    let from_serde: Response = serde_json::from_value(sample()).expect("deserializes");
    let from_json = Response::from_json(sample()).expect("decodes");
    assert_eq!(from_serde, from_json);
    let data = from_serde.data.expect("Data");
    assert_eq!(data.total_count, Some(5));
    // What is not an object does not become a response.
    assert!(serde_json::from_value::<Response>(json!([1, 2])).is_err());
}

#[test]
fn a_value_enum_is_its_wire_string() {
    let data = Response::from_json(sample())
        .expect("decodes")
        .data
        .expect("Data");
    let status = data.status.expect("Status");
    assert_eq!(
        serde_json::to_value(&status).expect("serializes"),
        json!("SUCCESS")
    );
}
