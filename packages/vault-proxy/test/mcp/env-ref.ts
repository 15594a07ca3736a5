/** `${NAME}`: a Claude Code environment reference, spelled without a template placeholder. */
export const ref = (name: string): string => `\${${name}}`;

/** `${env:NAME}`: a VS Code / Cursor environment reference. */
export const envRef = (name: string): string => `\${env:${name}}`;
