// Re-exports of the provision module; filled in as it is built.
export {};
