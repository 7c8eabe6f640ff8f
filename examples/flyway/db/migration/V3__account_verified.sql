-- A later change that needs one account per e-mail address.
ALTER TABLE account ADD verified INT DEFAULT 0 NOT NULL;
UPDATE account SET verified = 1 WHERE email = 'ann@example.org';
