/** A GraphQL/HTTP client that sends a Bearer token (or none), for the security tests. */
export interface Client {
  gql<T = any>(query: string, variables?: Record<string, unknown>): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[] }>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  headers: Record<string, string>;
}

export function client(url: string, token?: string): Client {
  const auth: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  return {
    headers: auth,
    async gql(query, variables) {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', ...auth },
        body: JSON.stringify({ query, variables }),
      });
      const body = (await res.json()) as Record<string, unknown>;
      return { status: res.status, ...body } as never;
    },
    get: (path, headers = {}) => fetch(`${url}${path}`, { headers: { ...auth, ...headers } }),
  };
}

export const MODULES_HEADER = 'serial,chemistry,nominal_capacity_ah,nominal_voltage_v,soh_percent,internal_resistance_mohm,temp_min_c,temp_max_c,cycle_count';
export const moduleRow = (serial: string, soh = 70) => `${serial},NMC,60,44,${soh},25,10,35,900`;
