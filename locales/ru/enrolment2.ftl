# Групповые программы: выход из программы, рекомендуемая консультация, встречи программ в
# календаре терапевта, программы в /queue администраторов (R-GRP-2, R-GRP-3, R-CAN-2).

## Карточка для клиента: рекомендуемая консультация (R-GRP-3)
enrol2-card-consultation-recommended = Не обязательно, но рекомендуем: бесплатная 15-минутная консультация с ведущим ({ $therapist }) поможет понять, подходит ли вам эта группа.
enrol2-btn-consultation-recommended = 📅 Бесплатная консультация (рекомендуем)

## Клиент выходит из программы
enrol2-btn-leave = 🚪 Выйти из программы
enrol2-leave-not-enrolled = Вы не участвуете в этой программе (или уже вышли из неё). Ничего не изменилось.
enrol2-leave-ask = Выйти из программы «{ $title }»?
enrol2-leave-no-meetings = Записей на предстоящие встречи у вас нет.
enrol2-leave-meetings = Ваши записи на предстоящие встречи будут отменены по обычным правилам:
enrol2-leave-meeting = • { $when }: { $consequence }
enrol2-leave-consultation-stays = Записанная консультация с ведущим остаётся; если она больше не нужна, отмените её в /mybookings.
enrol2-leave-return-admission = Чтобы вернуться позже, понадобится снова решение ведущего (прошедшая консультация засчитывается, новая не нужна).
enrol2-leave-return-free = Записаться снова можно позже, пока есть свободные места.
enrol2-btn-leave-yes = Да, выйти
enrol2-btn-leave-no = Нет, остаться
enrol2-left-short = Вы вышли из программы.
enrol2-left = Вы вышли из программы «{ $title }». Ведущему сообщили.
enrol2-left-meeting = • Отменено: { $when }. { $consequence }
enrol2-left-meeting-kept = • { $when }: отменить сейчас не удалось, см. /mybookings.
enrol2-left-therapist = { $client } вышел(-ла) из вашей программы «{ $title }». Отменено записей на встречи: { $meetings }; эти места снова свободны.

## Календарь терапевта (R-GRP-2)
enrol2-calendar-meeting = { " " }· программа «{ $title }»
enrol2-calendar-close-program = Это встреча опубликованной программы «{ $title }»: клиенты записываются на её расписание, закрыть её нельзя. Ничего не изменилось.

## /queue администраторов (R-GRP-2)
enrol2-queue-programs-empty = Программ, ожидающих публикации, нет.
enrol2-queue-programs-title = <b>Ждут публикации программы</b>
enrol2-queue-program = «{ $title }», ведущий { $therapist } — отправлена { $at }
enrol2-queue-btn-open = Открыть: { $title }
