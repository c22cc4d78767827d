// The only module that imports Tauri: its invoke and listen, typed by the contract.
import { invoke } from '@tauri-apps/api/core';
import { listen } from '@tauri-apps/api/event';
import type { Invoke, Listen } from './client';

export const tauriInvoke: Invoke = (command, args) => invoke(command, args);

export const tauriListen: Listen = (event, handler) => listen<Parameters<typeof handler>[0]>(event, (e) => handler(e.payload));
