//! The cases on real Security Center operations other than the seed: each builds the request
//! through the committed crate's public API, as a user would, from the case's wire-named
//! parameters. A parameter the case has and this code does not set is an error, so a case
//! never silently sends less than it says.

use super::{int, outcome, string, Outcome};
use alibabacloud_runtime::Value;
use alibabacloud_sas20181203 as sas;
use sas::operations::{
    add_container_defense_rule as acdr, change_check_config as ccc,
    describe_image_list_by_sensitive_file as dilbsf, list_honeypot_alarm_events as lhae,
    list_plugin_for_uuid as lpfu, page_image_registry as pir,
};

type Params = serde_json::Map<String, Value>;
/// `AddIds` or `RemoveIds`.
type Ids = Option<Vec<i64>>;

fn boolean(v: &Value) -> Result<bool, String> {
    v.as_bool()
        .ok_or_else(|| format!("expected a boolean: {v}"))
}

fn list<T>(v: &Value, item: impl Fn(&Value) -> Result<T, String>) -> Result<Vec<T>, String> {
    v.as_array()
        .ok_or_else(|| format!("expected a list: {v}"))?
        .iter()
        .map(item)
        .collect()
}

/// Items of a list of strings converted with `From<&str>` (open enums, strings).
fn strs<T: for<'a> From<&'a str>>(v: &Value) -> Result<Vec<T>, String> {
    list(v, |x| {
        x.as_str()
            .map(T::from)
            .ok_or_else(|| format!("expected a string: {x}"))
    })
}

fn need<'a>(p: &'a Params, k: &str) -> Result<&'a Value, String> {
    p.get(k).ok_or_else(|| format!("{k} is required"))
}

fn unknown(op: &str, k: &str) -> String {
    format!("{op}: the case has a parameter {k:?} this code does not set")
}

/// Sends one case of operation `op` with `client`.
pub async fn call(client: &sas::Client, op: &str, p: &Params) -> Result<Outcome, String> {
    Ok(match op {
        "ListFileProtectEvent" => {
            let mut r = sas::ListFileProtectEventRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "AlertLevels" => r.alert_levels(list(v, int::<i32>)?),
                    "RuleName" => r.rule_name(string(v)?),
                    "PageSize" => r.page_size(string(v)?),
                    "CurrentPage" => r.current_page(int::<i32>(v)?),
                    "StartTime" => r.start_time(int::<i64>(v)?),
                    "Uuid" => r.uuid(string(v)?),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.list_file_protect_event(&r).await.map(|_| ()))
        }
        "AddContainerDefenseRule" => {
            let mut r = sas::AddContainerDefenseRuleRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "RuleName" => r.rule_name(string(v)?),
                    "RuleAction" => r.rule_action(int::<i32>(v)?),
                    "RuleSwitch" => r.rule_switch(int::<i32>(v)?),
                    "RuleId" => r.rule_id(int::<i64>(v)?),
                    "Scope" => r.scope(list(v, |s| {
                        let mut scope = acdr::request::Scope::new();
                        for (k, v) in s.as_object().ok_or("Scope: expected objects")? {
                            scope = match k.as_str() {
                                "ClusterId" => scope.cluster_id(string(v)?),
                                "AllNamespace" => scope.all_namespace(int::<i32>(v)?),
                                "Namespaces" => scope.namespaces(strs::<String>(v)?),
                                _ => return Err(unknown("Scope", k)),
                            };
                        }
                        Ok(scope)
                    })?),
                    "Whitelist" => {
                        let mut w = acdr::request::Whitelist::new();
                        for (k, v) in v.as_object().ok_or("Whitelist: expected an object")? {
                            w = match k.as_str() {
                                // Deprecated by the service, still sent when given.
                                #[allow(deprecated)]
                                "Hash" => w.hash(strs::<String>(v)?),
                                "Path" => w.path(strs::<String>(v)?),
                                "Image" => w.image(strs::<String>(v)?),
                                _ => return Err(unknown("Whitelist", k)),
                            };
                        }
                        r.whitelist(w)
                    }
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.add_container_defense_rule(&r).await.map(|_| ()))
        }
        "ChangeCheckConfig" => {
            let check = |c: &Value| -> Result<(Option<i64>, Option<i64>), String> {
                let o = c.as_object().ok_or("expected objects")?;
                if let Some(k) = o.keys().find(|k| *k != "CheckId" && *k != "SectionId") {
                    return Err(unknown("AddedCheck/RemovedCheck", k));
                }
                Ok((
                    o.get("CheckId").map(int::<i64>).transpose()?,
                    o.get("SectionId").map(int::<i64>).transpose()?,
                ))
            };
            let ids = |v: &Value| -> Result<(Ids, Ids), String> {
                let o = v.as_object().ok_or("expected an object")?;
                if let Some(k) = o.keys().find(|k| *k != "AddIds" && *k != "RemoveIds") {
                    return Err(unknown("ConfigRequirementIds/ConfigStandardIds", k));
                }
                Ok((
                    o.get("AddIds").map(|x| list(x, int::<i64>)).transpose()?,
                    o.get("RemoveIds")
                        .map(|x| list(x, int::<i64>))
                        .transpose()?,
                ))
            };
            let mut r = sas::ChangeCheckConfigRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "AddedCheck" => r.added_check(list(v, |c| {
                        let (id, section) = check(c)?;
                        let mut x = ccc::request::AddedCheck::new();
                        if let Some(id) = id {
                            x = x.check_id(id);
                        }
                        if let Some(s) = section {
                            x = x.section_id(s);
                        }
                        Ok(x)
                    })?),
                    "RemovedCheck" => r.removed_check(list(v, |c| {
                        let (id, section) = check(c)?;
                        let mut x = ccc::request::RemovedCheck::new();
                        if let Some(id) = id {
                            x = x.check_id(id);
                        }
                        if let Some(s) = section {
                            x = x.section_id(s);
                        }
                        Ok(x)
                    })?),
                    "CycleDays" => r.cycle_days(list(v, int::<i32>)?),
                    "StandardIds" => r.standard_ids(list(v, int::<i64>)?),
                    "ConfigRequirementIds" => {
                        let (add, remove) = ids(v)?;
                        let mut x = ccc::request::ConfigRequirementIds::new();
                        if let Some(a) = add {
                            x = x.add_ids(a);
                        }
                        if let Some(rm) = remove {
                            x = x.remove_ids(rm);
                        }
                        r.config_requirement_ids(x)
                    }
                    "ConfigStandardIds" => {
                        let (add, remove) = ids(v)?;
                        let mut x = ccc::request::ConfigStandardIds::new();
                        if let Some(a) = add {
                            x = x.add_ids(a);
                        }
                        if let Some(rm) = remove {
                            x = x.remove_ids(rm);
                        }
                        r.config_standard_ids(x)
                    }
                    "EnableAutoCheck" => r.enable_auto_check(boolean(v)?),
                    "EnableAddCheck" => r.enable_add_check(boolean(v)?),
                    "StartTime" => r.start_time(int::<i32>(v)?),
                    "EndTime" => r.end_time(int::<i32>(v)?),
                    "Vendors" => r.vendors(strs::<ccc::request::Vendors>(v)?),
                    "RegionId" => r.region_id(string(v)?.as_str()),
                    "Configure" => r.configure(string(v)?.as_str()),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.change_check_config(&r).await.map(|_| ()))
        }
        "GetClientRatioStatistic" => {
            // TimeStart and TimeEnd are optional since the 2026 surface.
            let mut r = sas::GetClientRatioStatisticRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "TimeStart" => r.time_start(int::<i64>(v)?),
                    "TimeEnd" => r.time_end(int::<i64>(v)?),
                    "StatisticTypes" => r.statistic_types(strs::<String>(v)?),
                    "ResourceDirectoryAccountId" => r.resource_directory_account_id(int::<i64>(v)?),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.get_client_ratio_statistic(&r).await.map(|_| ()))
        }
        "DescribeImageListBySensitiveFile" => {
            let mut r = sas::DescribeImageListBySensitiveFileRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "ScanRange" => r.scan_range(strs::<dilbsf::request::ScanRange>(v)?),
                    "SensitiveFileKey" => r.sensitive_file_key(string(v)?.as_str()),
                    "CurrentPage" => r.current_page(int::<i32>(v)?),
                    "PageSize" => r.page_size(int::<i32>(v)?),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(
                client
                    .describe_image_list_by_sensitive_file(&r)
                    .await
                    .map(|_| ()),
            )
        }
        "ListPluginForUuid" => {
            let mut r = sas::ListPluginForUuidRequest::new(lpfu::ListPluginForUuidRequired {
                uuid: string(need(p, "Uuid")?)?,
            });
            for (k, v) in p {
                r = match k.as_str() {
                    "Uuid" => r,
                    "Types" => r.types(strs::<lpfu::request::Types>(v)?),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.list_plugin_for_uuid(&r).await.map(|_| ()))
        }
        "ListHoneypotAlarmEvents" => {
            let mut r = sas::ListHoneypotAlarmEventsRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "Dealed" => r.dealed(string(v)?.as_str()),
                    "SrcIp" => r.src_ip(string(v)?),
                    "DstIp" => r.dst_ip(string(v)?),
                    "RiskLevelList" => r.risk_level_list(strs::<lhae::request::RiskLevelList>(v)?),
                    "CurrentPage" => r.current_page(int::<i32>(v)?),
                    "PageSize" => r.page_size(int::<i32>(v)?),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.list_honeypot_alarm_events(&r).await.map(|_| ()))
        }
        "PageImageRegistry" => {
            let mut r = sas::PageImageRegistryRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "RegistryTypeInList" => {
                        r.registry_type_in_list(strs::<pir::request::RegistryTypeInList>(v)?)
                    }
                    "RegistryTypeNotInList" => {
                        r.registry_type_not_in_list(strs::<pir::request::RegistryTypeNotInList>(v)?)
                    }
                    "RegistryNameLike" => r.registry_name_like(string(v)?),
                    "CurrentPage" => r.current_page(int::<i32>(v)?),
                    "PageSize" => r.page_size(int::<i32>(v)?),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.page_image_registry(&r).await.map(|_| ()))
        }
        "AddImageVulWhiteList" => {
            let mut r = sas::AddImageVulWhiteListRequest::new();
            for (k, v) in p {
                r = match k.as_str() {
                    "Type" => r.r#type(string(v)?.as_str()),
                    "Target" => r.target(string(v)?),
                    "Whitelist" => r.whitelist(string(v)?),
                    "Reason" => r.reason(string(v)?),
                    "Lang" => r.lang(string(v)?.as_str()),
                    "Source" => r.source(string(v)?.as_str()),
                    _ => return Err(unknown(op, k)),
                };
            }
            outcome(client.add_image_vul_white_list(&r).await.map(|_| ()))
        }
        other => return Err(format!("interop: no code sends {other}")),
    })
}
