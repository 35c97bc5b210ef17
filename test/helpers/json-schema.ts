/**
 * A small JSON Schema checker for the subset the documented schemas use (type, enum, properties,
 * required, additionalProperties, items, minItems, minimum, maximum, pattern). A keyword outside
 * that subset is an error, so a document cannot promise a constraint no test checks.
 */
const KNOWN = new Set(['$schema', 'title', 'description', 'type', 'enum', 'properties', 'required', 'additionalProperties', 'items', 'minItems', 'minimum', 'maximum', 'pattern']);

type Schema = Record<string, unknown>;

const typeOf = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

export function validate(schema: Schema, value: unknown, at = '$'): string[] {
  const errors: string[] = [];
  for (const k of Object.keys(schema)) if (!KNOWN.has(k)) throw new Error(`schema at ${at} uses "${k}", which this checker does not know`);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const t = typeOf(value);
    const ok = types.some((x) => x === t || (x === 'integer' && Number.isInteger(value)) || (x === 'number' && t === 'number'));
    if (!ok) return [`${at}: ${JSON.stringify(value)?.slice(0, 80)} is ${t}, not ${types.join(' or ')}`];
  }
  if (schema.enum && !(schema.enum as unknown[]).some((e) => e === value)) errors.push(`${at}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) errors.push(`${at}: ${value} < ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) errors.push(`${at}: ${value} > ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern).test(value)) errors.push(`${at}: ${JSON.stringify(value)} does not match ${schema.pattern}`);
  if (Array.isArray(value)) {
    if (typeof schema.minItems === 'number' && value.length < schema.minItems) errors.push(`${at}: ${value.length} items, fewer than ${schema.minItems}`);
    if (schema.items) value.forEach((v, i) => errors.push(...validate(schema.items as Schema, v, `${at}[${i}]`)));
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const r of (schema.required ?? []) as string[]) if (!(r in obj)) errors.push(`${at}: "${r}" is missing`);
    for (const [k, v] of Object.entries(obj)) {
      if (props[k]) errors.push(...validate(props[k]!, v, `${at}.${k}`));
      else if (schema.additionalProperties === false) errors.push(`${at}: "${k}" is not in the schema`);
      else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') errors.push(...validate(schema.additionalProperties as Schema, v, `${at}.${k}`));
    }
  }
  return errors;
}
