// Re-exports of the doctor module; filled in as it is built.
export {};
