import { settingRows } from './settings-table.js';

/** Escape a table cell for Markdown (`|` would end the cell). */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}

/**
 * The README's configuration table, rendered from the settings table: a
 * test compares the README with this, so the two cannot drift apart.
 */
export function settingsMarkdownTable(): string {
  const lines = ['| variable | flag | default | used by | meaning |', '| --- | --- | --- | --- | --- |'];
  for (const row of settingRows()) {
    const flag = row.flag ? `\`--${row.flag}\`` : row.secret ? 'environment only' : '—';
    lines.push(
      `| \`${row.env}\` | ${flag} | ${cell(row.defaultText)} | ${row.usedBy.map((t) => `\`${t}\``).join(', ')} | ${cell(row.help)} |`,
    );
  }
  return lines.join('\n');
}
