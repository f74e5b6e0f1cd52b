// The Well-Architected Tool's rule for a question's risk, written from its documentation and independent of cnassess:
// the risk rules in order, the first whose condition holds; "default" always holds. A condition is choice ids joined by
// && and ||, negated by !, grouped by parentheses; a choice id is true when that choice is selected.

/** The risk the rules give for the selected choice ids. */
export function riskOf(rules: readonly { condition: string; risk: string }[], selected: ReadonlySet<string>): string {
  for (const rule of rules) if (rule.condition === 'default' || evaluateRiskCondition(rule.condition, selected)) return rule.risk;
  return 'UNANSWERED';
}

/** A boolean expression of choice ids, &&, ||, ! and parentheses, evaluated over the selected ids. */
export function evaluateRiskCondition(text: string, selected: ReadonlySet<string>): boolean {
  const tokens = text.match(/&&|\|\||!|\(|\)|[A-Za-z0-9_-]+/g) ?? [];
  let at = 0;
  const or = (): boolean => {
    let value = and();
    while (tokens[at] === '||') {
      at++;
      value = and() || value;
    }
    return value;
  };
  const and = (): boolean => {
    let value = unary();
    while (tokens[at] === '&&') {
      at++;
      value = unary() && value;
    }
    return value;
  };
  const unary = (): boolean => {
    const token = tokens[at++];
    if (token === '!') return !unary();
    if (token === '(') {
      const value = or();
      at++; // ")"
      return value;
    }
    return token !== undefined && selected.has(token);
  };
  return or();
}
