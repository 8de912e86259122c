/**
 * The default `Client` value of Connector API requests: unique to this application, with its
 * version. Its own file so the function environment can name it without importing the client
 * (whose response schema would then be built in every function's bundle).
 */
export const DEFAULT_CONNECTOR_CLIENT_NAME = 'Mews Connection Provisioner 0.1.0';
