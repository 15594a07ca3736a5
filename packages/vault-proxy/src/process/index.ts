// Re-exports of the process module; filled in as it is built.
export {};
