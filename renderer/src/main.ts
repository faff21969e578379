import { mount } from 'svelte';
import App from './App.svelte';
import './app.css';
import { createStudioClient } from './lib/client';
import { Studio } from './lib/studio.svelte';

const target = document.getElementById('app');
if (!target) throw new Error('index.html lacks #app');

mount(App, { target, props: { studio: new Studio(createStudioClient()) } });
