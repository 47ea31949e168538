// Where a refusal of an estimate lands in the staff's form, which keeps each provider's services
// under that provider while the wire lists them all in one list.

/**
 * The wire lists the services of every provider in one list (`items[3].service_code`); the form
 * keeps them under their provider. `owners[k]` is [provider, service] of the k-th service sent.
 */
export function placeOfService(field: string, owners: [number, number][]): string {
  const match = /^(?:body\.)?items(?:\[(\d+)\]|\.(\d+))\.([A-Za-z_]+)/.exec(field);
  const owner = match ? owners[Number(match[1] ?? match[2])] : undefined;
  if (!match || !owner) return field;
  const name = match[3]!.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const [p, i] = owner;
  return name === 'providerNpi' ? `providers.${p}.npi` : `providers.${p}.items.${i}.${name}`;
}
