/**
 * `GET /api/docs`: the OpenAPI document as one self-contained, readable HTML page (no scripts, no
 * CDN: it works under `default-src 'none'`), with a link to the interactive Swagger UI.
 */
type JsonSchema = Record<string, unknown>;

function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** A parameter's schema in words, e.g. `array of open | pending · default 25 · 1–100`. */
function summarise(schema: JsonSchema): string {
  const items = schema.items as JsonSchema | undefined;
  const type = (value: JsonSchema): string => {
    if (Array.isArray(value.enum)) return value.enum.join(' | ');
    return [value.type, value.format].filter(Boolean).join(', ') || 'any';
  };
  const parts = [schema.type === 'array' && items ? `comma-separated list of ${type(items)}` : type(schema)];
  if (schema.default !== undefined) parts.push(`default ${String(schema.default)}`);
  if (schema.minimum !== undefined || schema.maximum !== undefined) {
    parts.push(`${String(schema.minimum ?? '')}–${String(schema.maximum ?? '')}`);
  }
  if (schema.maxLength !== undefined) parts.push(`at most ${String(schema.maxLength)} characters`);
  return parts.join(' · ');
}

/**
 * The document as a readable HTML page: operations grouped by tag, each with its parameters,
 * request body and responses (schemas shown as JSON, components listed at the end).
 */
export function renderOpenApiHtml(document: JsonSchema): string {
  const doc = document as {
    info: { title: string; description: string; version: string };
    paths: Record<string, Record<string, JsonSchema>>;
    components: { schemas: Record<string, JsonSchema> };
  };
  const byTag = new Map<string, Array<{ method: string; path: string; op: JsonSchema }>>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags as string[])[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, op });
    }
  }
  const json = (value: unknown) => `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  const sections = [...byTag.entries()].map(([tag, ops]) => {
    const items = ops.map(({ method, path, op }) => {
      const params = (op.parameters as JsonSchema[]) ?? [];
      const body = op.requestBody as { content: Record<string, { schema?: unknown }> } | undefined;
      const responses = op.responses as Record<
        string,
        { description: string; content?: Record<string, { schema?: unknown }> }
      >;
      const id = escapeHtml(op.operationId);
      return `<section class="op" id="${id}">
<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p><strong>${escapeHtml(op.summary)}</strong>${op.security ? ' <span class="badge">public</span>' : ''}${op['x-roles'] ? ' <span class="badge">admins</span>' : ''}</p>
${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
${
  params.length
    ? `<table><tr><th>parameter</th><th>in</th><th>required</th><th>schema</th></tr>${params
        .map(
          (param) =>
            `<tr><td><code>${escapeHtml(param.name)}</code></td><td>${escapeHtml(param.in)}</td><td>${param.required ? 'yes' : 'no'}</td><td>${escapeHtml(summarise(param.schema as JsonSchema))}</td></tr>`,
        )
        .join('')}</table>`
    : ''
}
${
  body
    ? Object.entries(body.content)
        .map(
          ([type, content]) =>
            `<details><summary>request body: ${escapeHtml(type)}</summary>${json(content.schema)}</details>`,
        )
        .join('')
    : ''
}
<ul class="responses">${Object.entries(responses)
        .map(
          ([status, response]) =>
            `<li><strong>${escapeHtml(status)}</strong> ${escapeHtml(response.description)}${
              response.content
                ? Object.entries(response.content)
                    .map(([type, content]) =>
                      content.schema
                        ? `<details><summary>${escapeHtml(type)}</summary>${json(content.schema)}</details>`
                        : ` (${escapeHtml(type)})`,
                    )
                    .join('')
                : ''
            }</li>`,
        )
        .join('')}</ul>
</section>`;
    });
    return `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${items.join('\n')}`;
  });
  const toc = [...byTag.entries()]
    .map(
      ([tag, ops]) =>
        `<li><a href="#tag-${escapeHtml(tag)}">${escapeHtml(tag)}</a><ul>${ops
          .map(
            ({ method, path, op }) =>
              `<li><a href="#${escapeHtml(op.operationId)}">${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</a></li>`,
          )
          .join('')}</ul></li>`,
    )
    .join('');
  const schemas = Object.entries(doc.components.schemas)
    .map(
      ([id, schema]) =>
        `<details id="schema-${escapeHtml(id)}"><summary>${escapeHtml(id)}</summary>${json(schema)}</details>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(doc.info.title)}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;display:flex;color:#1d2733}
nav{width:290px;flex:none;height:100vh;overflow:auto;position:sticky;top:0;background:#f3f5f7;padding:1rem;box-sizing:border-box;font-size:13px}
nav ul{padding-inline-start:1rem}main{padding:1rem 2rem;max-width:980px}
.op{border:1px solid #d8dee4;border-radius:8px;padding:.5rem 1rem;margin:1rem 0}
.method{display:inline-block;min-width:4.5em;text-align:center;border-radius:4px;color:#fff;padding:0 .4em;font-size:13px}
.get{background:#2f7d32}.post{background:#1565c0}.put{background:#8e24aa}.patch{background:#ef6c00}.delete{background:#c62828}
.badge{background:#e0e7ef;border-radius:4px;padding:0 .4em;font-size:12px}
table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #d8dee4;padding:2px 6px;text-align:start}
pre{background:#f6f8fa;padding:.5rem;overflow:auto;font-size:12px}
</style></head><body>
<nav><strong>${escapeHtml(doc.info.title)}</strong><p><a href="/api/openapi.json">openapi.json</a> · <a href="/api/docs/ui/">Swagger UI</a></p><ul>${toc}<li><a href="#schemas">schemas</a></li></ul></nav>
<main><h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description)}</p>
${sections.join('\n')}
<h2 id="schemas">schemas</h2>${schemas}
</main></body></html>`;
}
