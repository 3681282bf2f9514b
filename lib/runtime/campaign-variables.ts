/**
 * A campaign run's variables from its contact's attributes, as the campaign
 * maps them (variable name → attribute key); a missing attribute leaves its
 * variable out. One function for the enrolment that starts the runs and the
 * preview that walks them beforehand, so both see the same variables.
 */
export function varsOf(
  campaign: { variables: Readonly<Record<string, string>> },
  attributes: Record<string, unknown>,
): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const [name, key] of Object.entries(campaign.variables)) if (attributes[key] !== undefined) vars[name] = attributes[key];
  return vars;
}
