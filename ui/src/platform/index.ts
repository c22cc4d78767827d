export { AppError, commands, toAppError } from './ipc';
export type { Commands } from './ipc';
