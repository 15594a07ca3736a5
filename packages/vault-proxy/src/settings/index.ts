export type { Env } from './env.js';
export { readSetting, requireSetting } from './read-setting.js';
export { settingsMarkdownTable } from './settings-markdown.js';
export {
  DEFAULT_PORT,
  DEFAULT_UPSTREAM,
  DEFAULT_USER_AGENT,
  type LogFormat,
  type LogLevel,
  SETTINGS,
  type Setting,
  type SettingName,
  settingRows,
  type ToolName,
} from './settings-table.js';
