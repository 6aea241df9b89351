"""Runs the interop cases (or a load run) with the official Python SDK.

Every Security Center case (`"product": "sas"`) goes through the real generated client,
`alibabacloud_sas20181203.client.Client`: the request model is built from the case's wire-named
parameters with the model's own `from_map`, and sent with `<snake_case_action>_with_options`,
exactly the path a user's call takes.

The fixture product is made up (it has float, map, recursive, `any`, array-of-array, dotted-name
and header parameters and an anonymous operation, none of which Security Center has), so it has
no generated Python SDK: its calls go through the generic
`alibabacloud_tea_openapi.client.Client.call_api`, with the request built the way the generated
Python SDKs build theirs (see any `*_with_options` method of alibabacloud_sas20181203):

- `in: query`, no style / `repeatList` / `flat`: the value goes into `query` as it is and
  `Utils.query(query)` flattens it (`Name.1.Key=v`, `Name.Key=v`);
- `style: json`: `Utils.array_to_string_with_specified_style(value, name, 'json')` (the `*Shrink`
  field), one parameter holding JSON;
- `style: simple`: the same with `'simple'` (comma-joined);
- `in: formData`: into `body`, sent as `OpenApiRequest(body=Utils.parse_to_map(body))` with
  `req_body_type='formData'` (the SDK form-encodes it with `Utils.to_form`);
- `in: header`: into `OpenApiRequest(headers=...)`.

Usage:
  python official_client.py cases --endpoint 127.0.0.1:PORT --cases cases.json --spec-dir DIR
      prints one JSON line per case: {"case", "ok", "code", "message"}
  python official_client.py surface --endpoint 127.0.0.1:PORT --cases cases.json --spec-dir DIR
      --values values.json
      sends every operation of values.json (action -> wire name -> value) with the real Sas
      client: `<Action>Request().from_map(values)` and `<snake>_with_options`; prints one JSON
      line per operation, as `cases` does; with `--sdk tingwu20230930` the real client of that
      product's official SDK instead (a ROA product: path parameters are the method's
      positional arguments, and the members of an `in: body` object are the request model's
      fields, as the generated ROA SDKs take them)
  python official_client.py bench --endpoint 127.0.0.1:PORT --cases cases.json --spec-dir DIR
      [--calls 1000] [--threads 1] [--case seed]
      prints one JSON line: {"calls", "threads", "errors", "cpu_s", "wall_s"}
"""

import argparse
import importlib
import inspect
import json
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from alibabacloud_sas20181203 import models as sas_models
from alibabacloud_sas20181203.client import Client as SasClient
from alibabacloud_tea_openapi import utils_models as open_api_models
from alibabacloud_tea_openapi.client import Client as OpenApiClient
from alibabacloud_tea_openapi.utils import Utils
from darabonba.runtime import RuntimeOptions

FIXTURE_VERSION = "2020-01-01"


def config_for(credentials, endpoint):
    c = credentials or {}
    config = open_api_models.Config(
        access_key_id=c.get("access_key_id"),
        access_key_secret=c.get("access_key_secret"),
        security_token=c.get("security_token"),
        endpoint=endpoint,
        protocol="http",
        region_id="cn-hangzhou",
        read_timeout=10000,
        connect_timeout=5000,
    )
    if credentials is None:
        # Anonymous calls: the generic client needs no credential object.
        config.type = "anonymous"
    return config


def runtime_options():
    return RuntimeOptions(autoretry=False, max_attempts=1, read_timeout=10000, connect_timeout=5000)


def snake_case(action):
    """`ListHoneypotAlarmEvents` -> `list_honeypot_alarm_events`, as the SDK names its methods."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", action).lower()


def load_spec(spec_dir, operation):
    with open(os.path.join(spec_dir, "operations", operation + ".json"), encoding="utf-8") as f:
        return json.load(f)


def fixture_request(action, spec, params):
    """Builds (Params, OpenApiRequest) like a generated Python SDK's `*_with_options`."""
    by_name = {p["name"]: p for p in spec["parameters"]}
    query, body, headers = {}, {}, {}
    for name, value in params.items():
        if name not in by_name:
            raise SystemExit(f"{action}: no parameter {name!r} in the spec")
        p = by_name[name]
        style = p.get("style")
        if value is None:
            continue
        if style in ("json", "simple"):
            value = Utils.array_to_string_with_specified_style(value, name, style)
        where = p["in"]
        if where == "query":
            query[name] = value
        elif where == "formData":
            body[name] = value
        elif where == "header":
            headers[name] = value if isinstance(value, str) else json.dumps(value)
        else:
            raise SystemExit(f"{action}: parameter {name!r} is in {where!r}")
    request = open_api_models.OpenApiRequest(query=Utils.query(query))
    if body:
        request.body = Utils.parse_to_map(body)
    if headers:
        request.headers = headers
    anonymous = spec.get("security") == []
    methods = [m.upper() for m in spec.get("methods", ["post"])]
    api = open_api_models.Params(
        action=action,
        version=FIXTURE_VERSION,
        protocol="HTTP",
        pathname="/",
        method="POST" if "POST" in methods else methods[0],
        auth_type="Anonymous" if anonymous else "AK",
        style="RPC",
        req_body_type="formData",
        body_type="json",
    )
    return api, request


class Caller:
    """One case, ready to be called repeatedly."""

    def __init__(self, case, credentials, endpoint, spec_dir):
        self.case = case
        creds = credentials[case["credentials"]]
        config = config_for(creds, endpoint)
        self.runtime = runtime_options()
        if case["product"] == "sas":
            self.client = SasClient(config)
            action = case["operation"]
            model = getattr(sas_models, action + "Request", None)
            method = getattr(self.client, snake_case(action) + "_with_options", None)
            if model is None or method is None:
                raise SystemExit(f"the official SDK has no {action}")
            self.request = model().from_map(case["params"])
            self.method = method
            self.call = self._call_sas
        else:
            self.client = OpenApiClient(config)
            self.spec = load_spec(spec_dir, case["operation"])
            self.call = self._call_fixture

    def _call_sas(self):
        # The request model is re-validated and re-flattened on every call, as a user's call is.
        return self.method(self.request, self.runtime)

    def _call_fixture(self):
        api, request = fixture_request(self.case["operation"], self.spec, self.case["params"])
        return self.client.call_api(api, request, self.runtime)


def error_code(e):
    """The service error code of an SDK exception (possibly wrapped in an unretryable one)."""
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        code = getattr(e, "code", None)
        if code:
            return str(code), str(getattr(e, "message", "") or e)
        ctx = getattr(e, "retry_policy_context", None) or getattr(e, "_context", None)
        inner = getattr(ctx, "exception", None) if ctx is not None else None
        e = inner or getattr(e, "inner_exception", None) or e.__cause__ or e.__context__
    return "Exception", "no code"


def run_cases(args, data):
    names = set(args.only.split(",")) if args.only else None
    for case in data["cases"]:
        if names and case["name"] not in names:
            continue
        caller = Caller(case, data["credentials"], args.endpoint, args.spec_dir)
        try:
            caller.call()
            out = {"case": case["name"], "ok": True, "code": None, "message": None}
        except Exception as e:  # the verifier's rejections arrive as SDK exceptions
            code, message = error_code(e)
            out = {"case": case["name"], "ok": False, "code": code, "message": message[:300]}
        print(json.dumps(out, ensure_ascii=False), flush=True)


def sas_methods(client):
    """Action name (lower case, no underscores) -> the client's `*_with_options` method name.

    A few names lack the underscore before `with` (`add_cloud_vendor_account_akwith_options`)."""
    suffix = "with_options"
    return {
        name[: -len(suffix)].replace("_", ""): name
        for name in dir(client)
        if name.endswith(suffix) and not name.startswith("_")
    }


def roa_call(client, method, models, action, params, runtime):
    """Calls a ROA `*_with_options` method: its positional parameters before `request` (or
    `headers`) are the path parameters, by snake-case name; the request model gets the rest,
    with the members of an object-valued body parameter merged in (the generated ROA SDKs
    flatten the body's members into the model)."""
    fn = getattr(client, method)
    names = [n for n in inspect.signature(fn).parameters if n not in ("headers", "runtime")]
    rest = dict(params)
    args = []
    for name in names:
        if name == "request":
            continue
        wire = next((k for k in rest if snake_case(k) == name or k.lower() == name.replace("_", "")), None)
        args.append(rest.pop(wire) if wire is not None else None)
    # Header parameters: a `<Action>Headers` model when the operation has any.
    headers = {}
    headers_model = getattr(models, action + "Headers", None)
    if headers_model is not None:
        headers = headers_model().from_map(rest)
        for k in headers.to_map():
            rest.pop(k, None)
    if "request" in names:
        model = getattr(models, action + "Request")
        # An inline body object's members are the model's fields; a `$ref` body is its `body`.
        keeps_body = hasattr(model(), "body")
        flat = {}
        for k, v in rest.items():
            if k in ("body", "Body") and isinstance(v, dict) and not keeps_body:
                flat.update(v)
            else:
                flat[k] = v
        args.append(model().from_map(flat))
    return fn(*args, headers, runtime)


def run_surface(args, data):
    with open(args.values, encoding="utf-8") as f:
        values = json.load(f)
    if args.sdk:
        package = "alibabacloud_" + args.sdk
        client_class = importlib.import_module(package + ".client").Client
        models = importlib.import_module(package + ".models")
        config = config_for(data["credentials"]["ak"], args.endpoint)
        client = client_class(config)
        methods = sas_methods(client)
        runtime = runtime_options()
        for action, params in values.items():
            method = methods.get(action.lower())
            if method is None:
                out = {"case": action, "ok": False, "code": "NotInOfficialSdk", "message": None}
                print(json.dumps(out), flush=True)
                continue
            try:
                roa_call(client, method, models, action, params, runtime)
                out = {"case": action, "ok": True, "code": None, "message": None}
            except Exception as e:
                code, message = error_code(e)
                out = {"case": action, "ok": False, "code": code, "message": message[:300]}
            print(json.dumps(out, ensure_ascii=False), flush=True)
        return
    client = SasClient(config_for(data["credentials"]["ak"], args.endpoint))
    methods = sas_methods(client)
    runtime = runtime_options()
    for action, params in values.items():
        model = getattr(sas_models, action + "Request", None)
        method = methods.get(action.lower())
        # Operations without parameters have no request model: `<snake>_with_options(runtime)`.
        if method is None or (model is None and params):
            out = {"case": action, "ok": False, "code": "NotInOfficialSdk", "message": None}
            print(json.dumps(out), flush=True)
            continue
        try:
            if model is None:
                getattr(client, method)(runtime)
            else:
                getattr(client, method)(model().from_map(params), runtime)
            out = {"case": action, "ok": True, "code": None, "message": None}
        except Exception as e:
            code, message = error_code(e)
            out = {"case": action, "ok": False, "code": code, "message": message[:300]}
        print(json.dumps(out, ensure_ascii=False), flush=True)


def run_bench(args, data):
    case = next(c for c in data["cases"] if c["name"] == args.case)
    caller = Caller(case, data["credentials"], args.endpoint, args.spec_dir)
    for _ in range(20):  # warm-up: imports, connection pool
        caller.call()
    errors = 0

    def one(_):
        try:
            caller.call()
            return 0
        except Exception:
            return 1

    cpu0, wall0 = time.process_time(), time.perf_counter()
    if args.threads <= 1:
        for i in range(args.calls):
            errors += one(i)
    else:
        with ThreadPoolExecutor(max_workers=args.threads) as pool:
            errors = sum(pool.map(one, range(args.calls)))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(
        json.dumps(
            {"calls": args.calls, "threads": args.threads, "errors": errors, "cpu_s": cpu, "wall_s": wall}
        ),
        flush=True,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["cases", "bench", "surface"])
    parser.add_argument("--endpoint", required=True, help="127.0.0.1:PORT")
    parser.add_argument("--cases", required=True)
    parser.add_argument("--spec-dir", required=True, help="the fixture product's spec folder")
    parser.add_argument("--only", help="comma-separated case names")
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--case", default="seed")
    parser.add_argument("--values", help="surface mode: action -> wire name -> value")
    parser.add_argument("--sdk", help="surface mode: another product's SDK (tingwu20230930)")
    args = parser.parse_args()
    with open(args.cases, encoding="utf-8") as f:
        data = json.load(f)
    if args.mode == "cases":
        run_cases(args, data)
    elif args.mode == "surface":
        run_surface(args, data)
    else:
        run_bench(args, data)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
