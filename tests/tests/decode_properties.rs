//! Properties of the generated seed response's decoding: on arbitrary bytes and on JSON shaped
//! like the response (declared fields with values of any type), `FromJson` never panics, and
//! whatever it decodes re-encodes to equivalent JSON: a value of an unexpected type lands in
//! `extra_fields`, never lost.

use alibabacloud_runtime::examples::equivalent;
use alibabacloud_runtime::{FromJson, ToJson, Value};
use alibabacloud_sas20181203::CreateContainerScanTaskByAppNameResponse as Response;
use proptest::prelude::*;
use serde_json::Map;

fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        prop_oneof![
            "[-+ ]?[0-9]{1,20}(\\.[0-9]{0,3})?",
            "(?i)true|false",
            "INIT|PRE_ANALYZER|SUCCESS|FAIL|TASK_NOT_SUPPORT_REGION|PAUSED|",
            "\\PC{0,6}",
        ]
        .prop_map(Value::String),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(2, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            prop::collection::btree_map("[A-Za-z]{1,4}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const DATA_FIELDS: &[&str] = &[
    "TaskId",
    "TotalCount",
    "FinishCount",
    "CollectTime",
    "ExecTime",
    "Status",
    "Progress",
    "Result",
    "CanCreate",
    "Unknown",
];

/// An object with some of `names` as keys and values of any type.
fn object_of(names: &'static [&'static str], value: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop::collection::btree_map(prop::sample::select(names), value, 0..names.len())
        .prop_map(|m| {
            Value::Object(
                m.into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect::<Map<_, _>>(),
            )
        })
        .boxed()
}

/// JSON shaped like the response: `Data` an object (or a list of one, or anything).
fn response_shaped() -> impl Strategy<Value = Value> {
    let data = prop_oneof![
        6 => object_of(DATA_FIELDS, any_json().boxed()),
        1 => object_of(DATA_FIELDS, any_json().boxed()).prop_map(|d| Value::Array(vec![d])),
        1 => any_json(),
    ];
    (
        data,
        prop::option::of(scalar()),
        prop::option::of(scalar()),
        prop::option::of(any_json()),
    )
        .prop_map(|(data, request_id, status, extra)| {
            let mut m = Map::new();
            m.insert("Data".into(), data);
            if let Some(r) = request_id {
                m.insert("RequestId".into(), r);
            }
            if let Some(s) = status {
                m.insert("HttpStatusCode".into(), s);
            }
            if let Some(e) = extra {
                m.insert("Extra".into(), e);
            }
            Value::Object(m)
        })
}

fn check(value: &Value) -> Result<(), TestCaseError> {
    if let Ok(response) = Response::from_json(value.clone()) {
        let back = response.to_json();
        if let Err(diff) = equivalent(value, &back) {
            return Err(TestCaseError::fail(format!(
                "decoding lost data: {diff}\n{value}\nbecame\n{back}"
            )));
        }
        // Decoding what was re-encoded gives the same response.
        prop_assert_eq!(Response::from_json(back).ok(), Some(response));
    } else {
        prop_assert!(
            !value.is_object(),
            "an object always decodes (unknown values are kept): {}",
            value
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn decoding_response_shaped_json_keeps_everything(value in response_shaped()) {
        check(&value)?;
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        if let Ok(value) = serde_json::from_slice::<Value>(&bytes) {
            check(&value)?;
        }
        let _ = serde_json::from_slice::<Response>(&bytes);
    }
}
