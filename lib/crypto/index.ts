// Keys, hashes and the field cipher (node:crypto): server only.
export { contentHash } from './content-hash';
export { createFieldCipher, DecryptionError, type FieldCipher } from './field-cipher';
export { deriveKey } from './keys';
export { createPhoneHasher, type PhoneHasher } from './phone-hash';
export { DATA_API_AUDIENCE, dataApiJwtSecret, signHs256Jwt } from './data-api-jwt';
