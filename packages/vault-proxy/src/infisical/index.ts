// Re-exports of the infisical module; filled in as it is built.
export {};
