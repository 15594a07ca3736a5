// Re-exports of the mcp module; filled in as it is built.
export {};
