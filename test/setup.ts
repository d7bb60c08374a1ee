import 'reflect-metadata';
import { inject } from 'vitest';
import { recordErrorCodes } from './helpers/error-code-recorder.js';

recordErrorCodes(inject('seenCodesDirectory'));
