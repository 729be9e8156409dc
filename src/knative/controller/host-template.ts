// The subset of Go's text/template that Knative's domain-template and tag-template use
// (knative.dev/networking pkg/config/config.go DomainTemplateValues, TagTemplateValues): literal
// text with `{{.Field}}` and `{{index .Labels "key"}}` / `{{index .Annotations "key"}}` actions.
// Anything else is refused as a template error, as a template that does not execute is upstream.

export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

export interface TemplateValues {
  Name?: string;
  Namespace?: string;
  Domain?: string;
  Tag?: string;
  Labels?: Readonly<Record<string, string>>;
  Annotations?: Readonly<Record<string, string>>;
}

const FIELD = /^\.(Name|Namespace|Domain|Tag)$/;
const INDEX = /^index\s+\.(Labels|Annotations)\s+"([^"]*)"$/;

function evaluate(action: string, values: TemplateValues): string {
  const field = FIELD.exec(action);
  if (field) {
    const value = values[field[1] as 'Name' | 'Namespace' | 'Domain' | 'Tag'];
    if (value === undefined) throw new TemplateError(`template: can't evaluate field ${field[1]}`);
    return value;
  }
  const index = INDEX.exec(action);
  if (index) return values[index[1] as 'Labels' | 'Annotations']?.[index[2]] ?? '';
  throw new TemplateError(`template: unsupported action {{${action}}}`);
}

/** Executes `template` with `values`; throws TemplateError. */
export function executeHostTemplate(template: string, values: TemplateValues): string {
  let out = '';
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{{', at);
    if (open < 0) {
      out += template.slice(at);
      break;
    }
    const close = template.indexOf('}}', open + 2);
    if (close < 0) throw new TemplateError('template: unclosed action');
    out += template.slice(at, open) + evaluate(template.slice(open + 2, close).trim(), values);
    at = close + 2;
  }
  return out;
}
