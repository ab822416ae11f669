// Compiles JSON Schemas with ajv in strict mode, and validates documents against them, for
// tests/test_schemas.py: a second implementation of JSON Schema 2020-12 beside Python's
// jsonschema, and the strictest one editors' tooling uses.
//
// Reads one JSON object from stdin:
//   {"schemas": {"<name>": <schema>, ...}, "documents": [{"schema": "<name>", "data": <any>}, ...]}
// and writes one to stdout:
//   {"schemas": {"<name>": null | "<why ajv refuses it>"},
//    "documents": [null | [{"instancePath": ..., "keyword": ..., "message": ...}], ...]}
// A document whose schema did not compile gets the string "schema refused".
import Ajv2020Module from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;

let input = "";
process.stdin.setEncoding("utf8");
for await (const chunk of process.stdin) input += chunk;
const { schemas = {}, documents = [] } = JSON.parse(input);

const compiled = {};
const result = { schemas: {}, documents: [] };
for (const [name, schema] of Object.entries(schemas)) {
  // One instance per schema: the portal's schemas and the model's share no $id, and each must
  // stand on its own as an editor loads it. strict: true turns every strict option on
  // (unknown keywords and formats, ignored keywords, types a keyword needs, required properties
  // that are not declared, tuples): what ajv's own documentation calls strict mode.
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  try {
    compiled[name] = ajv.compile(schema);
    result.schemas[name] = null;
  } catch (error) {
    result.schemas[name] = String(error.message ?? error);
  }
}
for (const { schema, data } of documents) {
  const validate = compiled[schema];
  if (!validate) {
    result.documents.push("schema refused");
  } else if (validate(data)) {
    result.documents.push(null);
  } else {
    result.documents.push(validate.errors.map(({ instancePath, keyword, message, params }) =>
      ({ instancePath, keyword, message, params })));
  }
}
process.stdout.write(JSON.stringify(result));
