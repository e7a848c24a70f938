import { recordAudit } from '../audit/index.js';
import type { Config } from '../core/config.js';
import { countDeviceFailure } from './device-cookie.js';
import { countAddressFailure, lockPair, type ThrottleKeys } from './login-throttle.js';

export interface FailureContext {
  /** The trusted device the attempt came from, if any: its failures count there, not on the pair. */
  deviceId: string | null;
  /** Attempts of the pair in the window, this one included (0 when from a trusted device). */
  attempts: number;
  requestId: string;
  orgPath?: readonly string[];
}

/**
 * Counts a failed sign-in and writes the audit entries a security officer needs: the pair's lock when it
 * starts (`auth.lock`) and the address reaching its limit (`auth.login_failure_burst`), each once per window.
 * The password is never recorded, nor whether the username exists.
 */
export async function recordLoginFailure(config: Config, keys: ThrottleKeys, context: FailureContext): Promise<void> {
  if (context.deviceId) await countDeviceFailure(context.deviceId);
  const fromAddress = await countAddressFailure(config, keys);
  // No one is signed in: the request id goes into the details so the entry can be matched with the log.
  const actor = null;
  const requestId = context.requestId;
  if (fromAddress === config.login.maxFailuresPerIp) {
    await recordAudit({
      action: 'auth.login_failure_burst',
      entity: 'login',
      entityId: keys.address,
      actor,
      orgPath: [],
      details: { address: keys.address, failures: fromAddress, windowMinutes: config.login.lockMinutes, requestId },
    });
  }
  if (!context.deviceId && context.attempts >= config.login.maxFailures && (await lockPair(config, keys))) {
    await recordAudit({
      action: 'auth.lock',
      entity: 'login',
      entityId: keys.username,
      actor,
      orgPath: context.orgPath ?? [],
      details: {
        username: keys.username,
        address: keys.address,
        failures: context.attempts,
        lockMinutes: config.login.lockMinutes,
        requestId,
      },
    });
  }
}
