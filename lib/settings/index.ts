// Settings: brand, keyword replies, the states marketing is paused in, and the sandbox clock's changes.
export { settingsBody, updateSettings, type SettingsChange } from './settings-service';
export { resetSandboxClock, sandboxClockBody, sandboxClockOff, setSandboxClock } from './sandbox-clock-service';
