"""The OpenAPI 3.1 document of the API (``GET /openapi.json``).

Made from the instrument registry (:func:`clinscores.registry.describe`) and
the patient record's JSON Schema, so that it cannot drift from them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clinscores import __version__, examples
from clinscores.record import load_schema
from clinscores.registry import describe, instruments
from clinscores.sle.bilag2004 import BILAG2004_SYSTEMS

__all__ = ["openapi"]


def _parameter_schema(p: Mapping[str, Any]) -> dict[str, Any]:
    dom = p["domain"]
    one: dict[str, Any]
    if dom["flag"]:
        one = {"type": ["boolean", "null"]}
    else:
        one = {"type": ["integer" if dom["integer"] else "number", "null"]}
        for key, bound in (("minimum", "exclusive_minimum"), ("maximum", "exclusive_maximum")):
            if dom[key] is not None:
                name = ("exclusiveM" if dom[bound] else "m") + key[1:]
                one[name] = dom[key]
        if dom["words"] and dom["words_only"]:
            one = {"enum": [*dom["words"], None]}
        elif dom["words"]:
            one = {"oneOf": [one, {"enum": dom["words"]}]}
    return {
        "description": f"{p['text']} ({dom['description']})",
        "oneOf": [one, {"type": "array", "items": one}],
    }


def _problems() -> dict[str, Any]:
    """The properties of a 400 or 422 answer: its message and each problem with its JSON path."""
    return {
        "error": {"type": "string"},
        "problems": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "path": {"type": ["string", "null"]},
                    "message": {"type": "string"},
                },
            },
        },
    }


def openapi() -> dict[str, Any]:
    """The OpenAPI 3.1 document of the API, made from the registry and the record schema."""
    descs = [describe(inst) for inst in instruments().values()]
    patient = load_schema()
    form = patient["properties"]["sle"]["properties"]["bilag2004_form"]
    example_names = examples.names()
    schemas: dict[str, Any] = {
        "Patient": patient,
        "Error": {
            "type": "object",
            "properties": {"error": {"type": "string"}},
            "required": ["error"],
        },
        "ScoreError": {
            "type": "object",
            "properties": {
                "error": {"type": "string"},
                "parameter": {"type": ["string", "null"]},
                "row": {"type": ["integer", "null"]},
            },
            "required": ["error"],
        },
        "JsonProblems": {"type": "object", "properties": _problems(), "required": ["error"]},
        "MissingExtra": {
            "type": "object",
            "properties": {"error": {"type": "string"}, "extra": {"type": "string"}},
            "required": ["error", "extra"],
        },
        "RecordProblems": {"type": "object", "properties": _problems()},
        "Example": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "kind": {"enum": ["patient_record", "fhir_bundle"]},
                "disease": {"enum": ["ra", "sle", "pss", "ssc"]},
                "patient_id": {"type": ["string", "null"]},
                "description": {"type": "string"},
            },
            "required": ["name", "kind", "disease", "patient_id", "description"],
        },
        "Bilag2004Request": {
            "type": "object",
            "description": "The record's sle.bilag2004_form, and the grades the assessor recorded",
            "properties": {
                **form["properties"],
                "recorded": patient["properties"]["sle"]["properties"]["bilag2004_grades"],
            },
            "additionalProperties": False,
        },
        "Bilag2004Grades": {
            "type": "object",
            "properties": {
                "systems": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "system": {"enum": list(BILAG2004_SYSTEMS)},
                            "grade": {"enum": ["A", "B", "C", "D", "E", None]},
                            "source": {"enum": ["items", "history", "recorded", "unknown"]},
                            "reasons": {"type": "array", "items": {"type": "string"}},
                        },
                        "required": ["system", "grade", "source", "reasons"],
                    },
                },
                "numeric": {"type": ["integer", "null"]},
                "one_a_or_two_b": {"type": ["boolean", "null"]},
            },
            "required": ["systems", "numeric", "one_a_or_two_b"],
        },
    }
    for d in descs:
        schemas[f"score_{d['name']}"] = {
            "type": "object",
            "description": d["summary"],
            "properties": {p["name"]: _parameter_schema(p) for p in d["parameters"]},
            "required": [p["name"] for p in d["parameters"] if p["required"]],
            "additionalProperties": False,
        }

    def error(text: str, ref: str = "Error") -> dict[str, Any]:
        return {
            "description": text,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
        }

    common = {
        "400": error(
            "malformed JSON, text that is not UTF-8, a duplicate key, a number beyond float, "
            "NaN or Infinity, nesting deeper than 100 levels (each problem with its JSON path)",
            "JsonProblems",
        ),
        "413": error("body too large"),
        "415": error("content type is not application/json"),
        "500": error("an unexpected error of the server"),
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "clinscores",
            "version": __version__,
            "description": "Rheumatology scores and the NCT07052565 eligibility screen.",
        },
        "paths": {
            "/healthz": {
                "get": {"summary": "Liveness", "responses": {"200": {"description": "ok"}}}
            },
            "/api/v1/instruments": {
                "get": {
                    "summary": "The instruments: parameters, units, domains, outputs, references, "
                    "and the categories with the cut-off of each",
                    "responses": {"200": {"description": "one object per instrument"}},
                }
            },
            "/api/v1/schema/patient": {
                "get": {
                    "summary": "JSON Schema of the patient record",
                    "responses": {"200": {"description": "the schema"}},
                }
            },
            "/api/v1/score/{instrument}": {
                "post": {
                    "summary": "Score values or lists of values",
                    "parameters": [
                        {
                            "name": "instrument",
                            "in": "path",
                            "required": True,
                            "schema": {"enum": [d["name"] for d in descs]},
                        },
                        {
                            "name": "errors",
                            "in": "query",
                            "schema": {"enum": ["raise", "coerce"], "default": "raise"},
                            "description": "coerce: score the valid rows, one message per "
                            "invalid row",
                        },
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "oneOf": [
                                        {"$ref": f"#/components/schemas/score_{d['name']}"}
                                        for d in descs
                                    ]
                                }
                            }
                        },
                    },
                    "responses": {
                        "200": {"description": "instrument, result, reported, errors"},
                        "404": error("unknown instrument"),
                        "422": error("invalid value", "ScoreError"),
                        "503": error("the worker process of large requests stopped; try again"),
                        **common,
                    },
                }
            },
            "/api/v1/examples": {
                "get": {
                    "summary": "The example patients and FHIR bundles shipped with the package",
                    "responses": {
                        "200": {
                            "description": "one object per example: name, kind, disease, "
                            "patient_id, description",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Example"},
                                    }
                                }
                            },
                        }
                    },
                }
            },
            "/api/v1/examples/{name}": {
                "get": {
                    "summary": "One example: a patient record or a FHIR Bundle",
                    "parameters": [
                        {
                            "name": "name",
                            "in": "path",
                            "required": True,
                            "schema": {"enum": example_names},
                        }
                    ],
                    "responses": {
                        "200": {"description": "the example's JSON document"},
                        "404": error("no example of that name"),
                    },
                }
            },
            "/api/v1/bilag2004": {
                "get": {
                    "summary": "The systems of the BILAG-2004 form with their item numbers "
                    "(the items' words are in the patient schema's sle.bilag2004_form)",
                    "responses": {"200": {"description": "systems, previous, due_to_sle"}},
                },
                "post": {
                    "summary": "BILAG-2004 grades of one form, each with the items or renal "
                    "criteria that decided it",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Bilag2004Request"}
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "systems (grade, source, reasons), numeric, "
                            "one_a_or_two_b",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Bilag2004Grades"}
                                }
                            },
                        },
                        "422": error("invalid form", "RecordProblems"),
                        **common,
                    },
                },
            },
            "/api/v1/screen": {
                "post": {
                    "summary": "Screen a patient record for trial NCT07052565",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Patient"}}
                        },
                    },
                    "responses": {
                        "200": {"description": "what `clinscores screen --json` prints"},
                        "422": error("invalid record", "RecordProblems"),
                        "501": error(
                            "a FHIR Bundle, and the fhir extra is not installed", "MissingExtra"
                        ),
                        **common,
                    },
                }
            },
        },
        "components": {"schemas": schemas},
    }
