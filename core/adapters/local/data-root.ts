/** Where the local stores keep archives/, sessions/ and blobs/ unless told otherwise. */
export const DEFAULT_DATA_ROOT = './data';
