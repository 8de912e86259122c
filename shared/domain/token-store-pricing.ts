/**
 * What holding tokens costs a month, from AWS's published prices (us-east-1 and most regions,
 * December 2026): Secrets Manager $0.40 per secret-month; Parameter Store standard parameters
 * free (up to 10,000 per account and region), advanced $0.05 per parameter-month. API calls and
 * KMS requests are left out here (cents at these volumes: see docs/deploy.md's cost model).
 */
const TOKEN_STORE_PRICES = {
  secretPerMonth: 0.4,
  advancedParameterPerMonth: 0.05,
  standardParametersPerAccountRegion: 10_000,
} as const;

export type ParameterTier = 'Intelligent-Tiering' | 'Standard' | 'Advanced';

export interface ParameterStoreAssumptions {
  tier: ParameterTier;
  /** Standard parameters the account already has in the region besides the tokens (default 0). */
  otherStandardParameters?: number;
}

/** Monthly USD for `count` tokens as secrets. */
export function secretsManagerMonthly(count: number): number {
  return round(count * TOKEN_STORE_PRICES.secretPerMonth);
}

/**
 * Monthly USD for `count` tokens as parameters. Intelligent-Tiering makes a parameter standard
 * while the account has room and advanced beyond (the tokens are small and carry no policy), so
 * only those over the 10,000 standard parameters pay.
 */
export function parameterStoreMonthly(count: number, assumptions: ParameterStoreAssumptions): number {
  const { advancedParameterPerMonth: advanced, standardParametersPerAccountRegion: free } =
    TOKEN_STORE_PRICES;
  if (assumptions.tier === 'Advanced') return round(count * advanced);
  if (assumptions.tier === 'Standard') return 0;
  const room = Math.max(0, free - (assumptions.otherStandardParameters ?? 0));
  return round(Math.max(0, count - room) * advanced);
}

const round = (usd: number) => Math.round(usd * 100) / 100;
