import * as z from 'zod/mini';
/** The stores a token's `secretRef` can point into. */
export declare const SECRET_STORES: readonly ["secrets-manager", "parameter-store", "local-vault"];
export type SecretStore = (typeof SECRET_STORES)[number];
export declare const secretStoreSchema: z.ZodMiniEnum<{
    "secrets-manager": "secrets-manager";
    "parameter-store": "parameter-store";
    "local-vault": "local-vault";
}>;
/**
 * Which store holds the token a `secretRef` names, from the service's own reference formats:
 * `local-vault:<id>` is the local vault of `npm start`; a Parameter Store parameter is a name
 * starting with `/` or an `arn:…:ssm:…:parameter/…` ARN; anything else is a Secrets Manager
 * SecretId (a secret name such as `mews-provisioner/demo/connections/con_…`, or an
 * `arn:…:secretsmanager:…` ARN). Events carry the answer as `secretStore`; events published
 * before that field existed lack it, and this function gives it for them.
 */
export declare function secretStoreOf(secretRef: string): SecretStore;
