import * as z from 'zod/mini';
/** The stores a token's `secretRef` can point into. */
export const SECRET_STORES = ['secrets-manager', 'parameter-store', 'local-vault'];
export const secretStoreSchema = z.enum(SECRET_STORES);
const LOCAL_VAULT_PREFIX = 'local-vault:';
/** `arn:<partition>:ssm:<region>:<account>:parameter/<name>` */
const PARAMETER_ARN = /^arn:[a-z-]+:ssm:[^:]*:[^:]*:parameter\//;
/**
 * Which store holds the token a `secretRef` names, from the service's own reference formats:
 * `local-vault:<id>` is the local vault of `npm start`; a Parameter Store parameter is a name
 * starting with `/` or an `arn:…:ssm:…:parameter/…` ARN; anything else is a Secrets Manager
 * SecretId (a secret name such as `mews-provisioner/demo/connections/con_…`, or an
 * `arn:…:secretsmanager:…` ARN). Events carry the answer as `secretStore`; events published
 * before that field existed lack it, and this function gives it for them.
 */
export function secretStoreOf(secretRef) {
    if (secretRef.startsWith(LOCAL_VAULT_PREFIX))
        return 'local-vault';
    if (secretRef.startsWith('/') || PARAMETER_ARN.test(secretRef))
        return 'parameter-store';
    return 'secrets-manager';
}
