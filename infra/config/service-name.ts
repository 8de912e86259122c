/**
 * POWERTOOLS_SERVICE_NAME of every function of a stage, and so the `service` dimension Powertools
 * puts on the custom metrics (shared/config/metric-names.ts): the alarms match on it. One value per
 * stage, so two stages in one account do not mix their metrics.
 */
export const serviceName = (resourcePrefix: string): string => resourcePrefix;
