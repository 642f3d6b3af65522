/** One alerting rule of a Prometheus rule file, as far as the tests need it. */
export interface AlertRule {
  alert: string;
  expr: string;
  severity: string | undefined;
  runbookUrl: string | undefined;
}

/**
 * The rules of deploy/prometheus/alerts.yml. Reads the subset of YAML that file keeps to (its
 * header says so): `key: value` on one line, or `key: >-` followed by more-indented lines, folded
 * with spaces. No YAML library in the repo for one file.
 */
export function parseAlertRules(yaml: string): AlertRule[] {
  const rules: AlertRule[] = [];
  const lines = yaml.split('\n');
  let rule: AlertRule | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const m = /^(\s*)(?:- )?([a-z_]+):\s*(.*)$/.exec(line);
    if (!m || line.trimStart().startsWith('#')) continue;
    const [, indent = '', key = '', raw = ''] = m;
    let value = raw;
    if (value === '>-') {
      const folded: string[] = [];
      for (
        let next = lines[i + 1] ?? '';
        next.search(/\S/) > indent.length;
        next = lines[i + 1] ?? ''
      ) {
        folded.push(next.trim());
        i++;
      }
      value = folded.join(' ');
    }
    value = value.replace(/^"(.*)"$/, '$1');
    if (key === 'alert') {
      rule = { alert: value, expr: '', severity: undefined, runbookUrl: undefined };
      rules.push(rule);
    } else if (rule && key === 'expr') rule.expr = value;
    else if (rule && key === 'severity') rule.severity = value;
    else if (rule && key === 'runbook_url') rule.runbookUrl = value;
  }
  return rules;
}

/** Set operators and modifiers left once the grouping clauses are gone. */
const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset', 'group_left', 'group_right']);

/**
 * The metric names a PromQL expression selects (functions, keywords, label names, durations and
 * numbers left out), each with the label names its matchers use.
 */
export function selectorsOf(expr: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const clean = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const selector = /(?<![\w.:])([a-zA-Z_:][\w:]*)\b(?!\s*\()(\s*\{[^}]*\})?/g;
  for (const [, name = '', matchers = ''] of clean.matchAll(selector)) {
    if (keywords.has(name)) continue;
    const labels = out.get(name) ?? new Set<string>();
    for (const [, label = ''] of matchers.matchAll(/([a-zA-Z_]\w*)\s*(?:=~|!~|!=|=)/g)) {
      labels.add(label);
    }
    out.set(name, labels);
  }
  return out;
}
