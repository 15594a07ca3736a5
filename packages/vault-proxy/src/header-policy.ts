// Placeholder: the core-proxy helper replaces this file.
export {};
