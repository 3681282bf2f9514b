// Settings: brand, keyword replies and the states marketing is paused in.
export { settingsBody, updateSettings, type SettingsChange } from './settings-service';
