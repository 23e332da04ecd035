import nodemailer, { type Transporter } from 'nodemailer';
import type { Clock } from '../core/clock.ts';
import type { Db } from '../core/db/database.ts';
import type { Logger } from '../core/logging.ts';
import { systemActor, withActor } from '../core/tenancy.ts';
import { MAX_EMAIL_ATTEMPTS, notificationRepository } from './notification.repository.ts';

export const MAIL_BATCH_SIZE = 20;

/**
 * Sends stored notifications as e-mail. Notifications are written first, in the transaction
 * that caused them; this worker delivers them afterwards, so a crash loses no message.
 * Without SMTP_URL (the embedded default) each e-mail is written to the log instead.
 */
export class Mailer {
  private readonly transport: Transporter | null;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly logger: Logger,
    smtpUrl: string | undefined,
    private readonly from: string,
  ) {
    this.transport = smtpUrl ? nodemailer.createTransport(smtpUrl) : null;
  }

  /** Delivers one batch; returns how many notifications were handled. */
  async deliverPending(): Promise<number> {
    return withActor(this.db, systemActor, async (tx) => {
      const pending = await notificationRepository.lockPendingEmails(tx, MAIL_BATCH_SIZE);
      for (const mail of pending) {
        if (!this.transport) {
          this.logger.info(
            { to: mail.email, subject: mail.subject, notificationId: mail.id },
            'e-mail (no SMTP configured)',
          );
          await notificationRepository.setEmailOutcome(tx, mail.id, 'logged', this.clock.now());
          continue;
        }
        try {
          await this.transport.sendMail({
            from: this.from,
            to: mail.email,
            subject: mail.subject,
            text: mail.body,
          });
          await notificationRepository.setEmailOutcome(tx, mail.id, 'sent', this.clock.now());
        } catch (error) {
          const giveUp = mail.email_attempts + 1 >= MAX_EMAIL_ATTEMPTS;
          this.logger.warn({ err: error, notificationId: mail.id, giveUp }, 'e-mail delivery failed');
          await notificationRepository.setEmailOutcome(
            tx,
            mail.id,
            giveUp ? 'failed' : 'pending',
            this.clock.now(),
          );
        }
      }
      return pending.length;
    });
  }
}
