-- phpMyAdmin SQL Dump
-- version 5.2.1
-- https://www.phpmyadmin.net/
--
-- Servidor: 127.0.0.1
-- Versión del servidor: 10.11.6-MariaDB
-- Regression fixture for issue 8: every mistake the scaffold of `masker check` made on real dumps.

SET SQL_MODE = "NO_AUTO_VALUE_ON_ZERO";
START TRANSACTION;
SET time_zone = "+00:00";

/*!40101 SET NAMES utf8mb4 */;

CREATE TABLE `usuarios` (
  `email` varchar(190) NOT NULL,
  `nombre` varchar(60) NOT NULL,
  `apellido1` varchar(60) DEFAULT NULL,
  `apellido2` varchar(60) DEFAULT NULL,
  `password` varchar(255) NOT NULL,
  `password_hash` char(60) DEFAULT NULL,
  `salt` varchar(32) DEFAULT NULL,
  `remember_token` varchar(100) DEFAULT NULL,
  `api_token` char(64) DEFAULT NULL,
  `movil` bigint(20) DEFAULT NULL,
  `tel` int(10) UNSIGNED DEFAULT NULL,
  `email_accept` varchar(2) NOT NULL DEFAULT 'N',
  `email_confirm_token` varchar(64) DEFAULT NULL,
  `created_ms` bigint(20) NOT NULL,
  `updated_ms` bigint(20) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;
INSERT INTO `usuarios` (`email`, `nombre`, `apellido1`, `apellido2`, `password`, `password_hash`, `salt`, `remember_token`, `api_token`, `movil`, `tel`, `email_accept`, `email_confirm_token`, `created_ms`, `updated_ms`) VALUES
('lucia.garc0@correo.example.es', 'Lucía', 'García', 'Fernández', 'Secreto000!', '$2y$10$oxyimcfip6nzb353y5.mzf5obr704yhqgeyygdvpf57n/je8c5mj/', 'ee9bd453abf694b927b709a781d8c9d5', 'Qzhk7Q2bmXkthaYWyv1kKB5oiAKCAAfLesTgcfQgWHHxjZ7GFTjMemb6ivyQ', '39bab0f61155ade3267ff4c33e4e2fcbe7161e33600bd267ac60992ac792dba9', 9093901132, 374143795, 'N', '6fbc969ccbbd6f2852f8d389888d7b77e776bf33', 1700000000000, 1700000005000),
('mateo.fern1@correo.example.es', 'Mateo', 'Fernández', 'López', '$2y$10$yf5k0Bcib3m7qfgDD6s0fi2w5eucfi5xeo.c2uos/wueHh.3wBkkq', '$2y$10$yj1eg8ofslvmgdd9lk9usp64h.fiioun0lki2d2/s01/x.5x7ltr4', '48f96c4ff39c11b9bc04025e4d3b1bb3', '8uPgE1kPpExKw7xWZBxVOQcVj7TQ4Pudc9oGxExEJltiPrYbYCVsLRqD1ssz', 'fe2fea43bebfc65412964c86301e6aa000499016aa2d7036fd3d424bd18d6092', 9075532515, 394304355, 'Y', 'c98980c6663f4a72dbfeb45f37a577d6a482ea47', 1700086400123, 1700086405123),
('sofia.gonz2@correo.example.es', 'Sofía', 'González', 'Pérez', '$2y$10$.2zbuzwthhy76CA2aFvJ9mba928Gux9E1g3lhdCrfJbmp4edvwy9u', '$2y$10$5k5rd43/p8d66z274kh.6kvs.8zh29ltkww7dzrep942sm49eesel', 'c3355fa76e7c0b93f13eb8a336fde340', 'wiyC5vQH6SBMhYyE9ROA1iXeUlpCmrMJ1Q166jn9Ha04v6xfZkGuJ12A8Uti', '7c0347254f9c2e92cefdaf79130bd08b152f1013a47bbb276783d0603da4871a', 9057760107, 362105079, 'N', 'a95080194960414b8e8b94bee7a2809a3800ec60', 1700172800246, 1700172805246),
('hugo.rodr3@correo.example.es', 'Hugo', 'Rodríguez', 'González', 'Secreto003!', '$2y$10$ai9dvv9oy9.n53sz7/15gy7u158yd8mo9ky0upq9v6atp0z8q4vd5', '75b55761c7348914f2b383413b9b8415', 'Wzab4CDxzoQdxLRDvt6JAir9BeeovmVHzdCspt0u4rAdaaBX3cPmoIgY41fE', '45ef20891b28b9e77127e913d8d34adbfcff2cacad99fe07282141036fe9629a', 9050779050, 347854175, 'Y', 'b895c90307d644358ee57c9dd050e34be3d83129', 1700259200369, 1700259205369),
('martina.lópe4@correo.example.es', 'Martina', 'López', 'Martínez', '$2y$10$4lAudAvcGa0iE4i.6CiqEH/yruu1svbn.kztlfttckEq1i33CBj4m', '$2y$10$90utcr6m.06k3fnfahir9nc0j5w.t0nbz107tb0ox3qf2hc37lunv', '44b8520ae21b14f54c5b4bb1a26ffa54', 'LSMXN68yFoJTRzaMMu57wjhPG25JhVPBTgncRliylshKua7S26T1IcYF6isK', '03e5d98fdab2f4bcd412ec7ca5144391b25e6b17779b75c2b5b3c61d2784b5cd', 9020902438, 330594445, 'N', 'cf74b50980ffc38e45c084749220f9fc5ea6dfbf', 1700345600492, 1700345605492),
('leo.mart5@correo.example.es', 'Leo', 'Martínez', 'García', '$2y$10$26a/jqt3sHj827ss/I/go7mltAI1q9hf7l3Ezdlzg1pepHAkiCmrb', '$2y$10$vrcv4r9rxlcb9tmsouen.tjb6/eyknpix3vfb3ezcsh0b39x.t38o', '833795286ddd43274470f8197cbadca8', 'WRhecZnQekkbGGJbSPip2HmjXzzeGQ166xI9d8tJTf0I41JBgsrYB6iGw8tX', 'e197c2f37f20ce206172a7b7694a8e2b28d584c654035a0a03e854078abd9d82', 9021889787, 336983952, 'Y', '1b7c021cd642fa5600ea69243d50ca895a73a2ef', 1700432000615, 1700432005615),
('valeria.sánc6@correo.example.es', 'Valeria', 'Sánchez', 'Rodríguez', 'Secreto006!', '$2y$10$3xfgxuutvf90t5os5pi9pgx87qzn/0onc5/.898/wmp66mpory2ok', '2f33729b71a68f9296226fc9d20537d8', 'sGYhVhR8xEkY9NbzWMI5ljLR49ecKdduSYErdpZhDgsKuPPFU3EdilHPC5fY', '64d924947c840ad1e1b888efd00590c0f2cc3b2930a4e2d7e69dd013e5a87399', 9096437486, 312863698, 'N', 'af004480408e0b5fc31238c3e8d8f603c5c9809a', 1700518400738, 1700518405738),
('daniel.pére7@correo.example.es', 'Daniel', 'Pérez', 'Sánchez', '$2y$10$nDEaiwe3F1quDeIvi1Im2/dJA9beHh4DrF5F8/m.tIs0t3EHztjr2', '$2y$10$7rq86ybeiqcthshyso0/2/h/k0r4qqhqsx465ldzowxfkpeqkcu2e', 'b896c148044ee1ee2f1dfed571b20b4d', '5WsfKNBTABwLFu5T62eeBQot8JJTLOAfl4Bmvp1NVcu2x9pW85QwMlQO4Kjx', '7e11febffd8c4062f3470bc7b9232b5c4a0e55d7a9f7a64b7a90c2bcf24ff548', 9082098919, 357409281, 'Y', '08867a2fe88dbe7ecaf36834045a914d69d357f5', 1700604800861, 1700604805861),
('carmen.garc8@correo.example.es', 'Carmen', 'García', 'Fernández', '$2y$10$pvx.2lxhp.w4.bEIJeGkA57.bkCrosEksdioffx52BlsJtHd/wCph', '$2y$10$z3a4g3myoltj9fv1e70rgph2lsb93etriz584wwc1juwis.0e1swc', '75fcb5b4a0d95df740cd6af35219b146', 'Bmo1XuLB7JH7BOmUzvSlj6qJzM6yzhLxQXkldsuVtn0z2dowj3GZGu4fB66W', '97903d27f678e3c88b26d874b42139418ab34cc5b5c64692c756e075c00c7747', 9093841267, 379482268, 'N', '8294362724b9ed5b266478c0a52471bebe8c4d02', 1700691200984, 1700691205984),
('pablo.fern9@correo.example.es', 'Pablo', 'Fernández', 'López', 'Secreto009!', '$2y$10$5nvrw9mq9sktnlv4x8/9td3w5dkwfeul4fmbb9zm9nxj2iiory68k', '7dd5904e5c765e599cf9208165775ae6', 'UvSZXXqSpKTuvYmsswbweaVWmz3k8zFYqVL0Jofn0I7U4iNNyEvHZymlb9bg', 'eb4c9af710dfcfe8be605cdaf42d3f53c0b807e849eb38368ce595fce201ddcc', 9022235239, 374239650, 'Y', '7c7be391e5ba705850c7306ee99605a0f1c8812c', 1700777601107, 1700777606107),
('lucia.gonz10@correo.example.es', 'Lucía', 'González', 'Pérez', '$2y$10$vyr3ct9BkgkoHsq/yse6pkwxlltgsn8nhCb1eDmj25Gqv2DtuC0t0', '$2y$10$tjd2l.q962f.zl79/jc9aqcgppwozg48dm8y6m0/xer4y/dtpxp.o', '0d4fa43eb50b6f3591f5cd4097be396c', '9Z2WNIjazBcOUoKCzIak9kkq09c8GdVQE49AvNSza8QPBxaD89FXqj42Xzm3', '7f9cc2be213824f66f1110b6d673876546c40c50970340b379f02a9bece3772d', 9034702718, 393161302, 'N', 'b5d7b2426b2e2266a9f42b887fa598ba642b01ad', 1700864001230, 1700864006230),
('mateo.rodr11@correo.example.es', 'Mateo', 'Rodríguez', 'González', '$2y$10$iz3cza93dHD0o7sH9pF6i9bq0FkGgD6.b39k/z5/0e68kgbk7bviC', '$2y$10$2vi1laox8zck9gi2oa1mjmt1g2gj92nmvkae/dnkm7vr6141a4c0h', '6b826c81e658a2f385088596a1823e21', 'NaIlWxXnk7AcHXZloWs6zu2iLCt728LTiu0icRhcnrOC3isKRkEBkp9HBN6A', '90ed62ca6a9104dc56ca0dbbe8fee80177553a8ccffe41144507699d321ccb4a', 9030475871, 322846758, 'Y', '2e305a2bd178da950c7483325d31ce36eff506f1', 1700950401353, 1700950406353),
('sofia.lópe12@correo.example.es', 'Sofía', 'López', 'Martínez', 'Secreto012!', '$2y$10$lm926k1dse2bw72a0mtraaslbjpg5sq7p8uei9f5jm5cc5tw.8pjj', '426ef56f1b0f8be5e3ce039daedfc039', '9ir2NxxpQmI7SmxjTcO89kfsY8QwK31lcFYn7tPmIfKFT7aKXjHziPo2hYtb', '2739923c07fbbef342ec1f8c3172f03d3e0ca6d6fe4c25b16ecfab662f0900ee', 9056385416, 356831943, 'N', '72aecf83325e43a571571db4861b4afeacc4a93b', 1701036801476, 1701036806476),
('hugo.mart13@correo.example.es', 'Hugo', 'Martínez', 'García', '$2y$10$hEsI6o0dyuCrd6I4.6jvzaEx1de09ykzvkH4ho3pazntA4cnJ5wcc', '$2y$10$nisg59ajodbkuavxupw2jkq1pnni46z/890gnalq/98r9b/7h..i/', 'fc2bf099352fd95d2a106fc740410d4e', 'nEzNFdVHUqzsM81QA6Rx0VDle0MOV5VK8Itnq2ZTTCEoBbE51BvVU34ETtcA', 'b3d5d0a8e15a06bab2ad006c913c55859a1c1e3e67a7dc8330724981ee0ff04f', 9035871512, 386392922, 'Y', '763dc24d60fc9bb43c93aa3212ec1ede839d4aca', 1701123201599, 1701123206599),
('martina.sánc14@correo.example.es', 'Martina', 'Sánchez', 'Rodríguez', '$2y$10$xq6s/dpbff0wyvF/cnkAei4h72ey3tCB5ahho8J86G2tJf6j6Iib/', '$2y$10$35noc.p9z9i1azrxtf.guix7uot2f16d29pj9n/hhin648v5ffq6e', '12bbfdfad645afc53a7303d3c0ab3479', 'RjQkJLZVWOxbIXa3ire6IRJzeXkVUyqy7YBniAh7SDXh4gC9r6GVDDUkLAjE', '029c02cc42755bcb5af94a2cb7c9a492e0648e5a79c2372782606a8a879296a4', 9014639191, 394765367, 'N', '5b53145efa2834725c4711815bbd156d0aaf4822', 1701209601722, 1701209606722),
('leo.pére15@correo.example.es', 'Leo', 'Pérez', 'Sánchez', 'Secreto015!', '$2y$10$3.9zq2zwa8jm1inikinga80ugw7es6zqsjtcd3jvuvm4uh9qj6vxj', '1a5d4b3fb65e202abecf5e53946d9d6d', 'yLedGwCbpRWf6vAk836bt7EQevX6uCHXvhlpLxXIRVwSzbnCRPaguHU4IJbs', '97c201dc067722b1fd245d34ebb833fb50beb33a0a67ea64ea274dc1cfe1f0ce', 9020188365, 317488936, 'Y', '1ac41bc648d0bf98cff257abd787b2e4b8a96545', 1701296001845, 1701296006845),
('valeria.garc16@correo.example.es', 'Valeria', 'García', 'Fernández', '$2y$10$bzuz/Cm92fttIfwiDeBGgcu7Dmqy4mJ3A9baa5iq5pnAbBGfl6nrl', '$2y$10$7j0wg620p2/3zcwytr/w2g4gxux477ilb.zd22gxp6sv/i5/cvol7', '92fbfbbb19a797ff574f6da749987959', 'aJiDYHL19b57rzVjUJqAoO0h6wvmjAhnFgk4pU159Y84i5X5zT51Ks7cvdYF', '7a987cb93ca16e5f575f5f8c315207feae8b71d7535b0b0c049f149063120e43', 9090268974, 362871150, 'N', 'e6e920139072a3b9b158bb30c842717024f931d0', 1701382401968, 1701382406968),
('daniel.fern17@correo.example.es', 'Daniel', 'Fernández', 'López', '$2y$10$tmy2J1tsmaiF4h9iFrlg1jymzddu8vhEH1wpjzkl.B635bq7kH9xm', '$2y$10$ii4f7sz49tm58avuo7emizejm66hrsk/2/md8cxs.n3a/v1r0wa3d', '90c10c3e05cbd264cf412dfeb3a59e9c', 'NMF1cSwCMPKnntUXWqAtMNq5KDQxEDrfLYY1GPOjeyijeMk6Jkgmq0MRuHEg', 'ed2c356546d6d7fc146beb18eba5324c969e4ecff93edcc0c7e3d54ad0fd2af1', 9066158428, 334738389, 'Y', '51cf7e25ef323b01b2e362253129bf96ab315b51', 1701468802091, 1701468807091),
('carmen.gonz18@correo.example.es', 'Carmen', 'González', 'Pérez', 'Secreto018!', '$2y$10$vg0pl6zcjwhh9ij.9s/ga64juvtdoi3k62vej9lsc8.kwd/mcq4y2', 'e85df9038b8c559082fdc28124fe5dd0', 'k9f6KdtNbQ8FXLHkKXnbehlICXH9odadrvnU32ZKsWkl75htrTlNsqRvlnu9', 'da30c5eff6392bbd0c80a1390c8832eb04fc1c16c0505d0badb835a8c1c1dc87', 9094016146, 372669220, 'N', 'af6801efcbbdd69bb63f2b4fa3f8e8677f37382a', 1701555202214, 1701555207214),
('pablo.rodr19@correo.example.es', 'Pablo', 'Rodríguez', 'González', '$2y$10$qt5u79lp5wCe9.7/apA1Bx5s0zqoDCsf4o80B/AyskqrqebxBr.Cg', '$2y$10$y8k8ajuicvy3vmhqyzeh9wdnf96t/2o4m5b9pvvp9vdfgv34jc00c', '2e246c401f0ef055aa5b9f41d2332908', 'luRgunx0pYjYu94TJTVlRKxPbp7lGlgqy6bFBEpmdYnzhTrENhwJt2PfxkXo', '58315ee8f84efd67ae013bd2872ab6afe16deb29ebb2dd3ace42719c5bd5b0b1', 9031364382, 368718624, 'Y', '331d235e8c2a6a96f19e3f9ca244821051367da3', 1701641602337, 1701641607337),
('lucia.lópe20@correo.example.es', 'Lucía', 'López', 'Martínez', '$2y$10$yqvEkx0nw14ryA9fk1vuidiuk684GDkFywi2E5heaoado11Cc1FJa', '$2y$10$2h9bp6gz.7z9ftobzcgo7b4/9nvvw8ymrf7ihfcpd9y2117ozo08r', '0d81001aa346c60bc6c1a69c67c2c0ac', 'NPlgcm826l6t9hxQHPecIhKOn0MvVladCLHgWEDaWOCBj9cDHqiWnAYDU1pN', '0f66868b920e4527f8dd015bf1e5aef970c3baa59159387d83bca57a63d87478', 9024352170, 333093277, 'N', '8bcdbac4ad2e30b7c9647d819fae638f4033f90f', 1701728002460, 1701728007460),
('mateo.mart21@correo.example.es', 'Mateo', 'Martínez', 'García', 'Secreto021!', '$2y$10$hp/tuksjagzhgmhkyl6by6ywqjdxwtkbmtp8lopqpf/jx96v1ob79', '6d8fc6a1e21c226ce224afb31ce130b0', 'LS1Ur0LrpnXvmXH8SiNFBpCyK1sJD5lu8FxUAcd3aS1OFOBMlwT5qexyENme', '66e419984534333ad2d45d47407ff41117f4a1ade2f3afc68d089bc154351a74', 9015555603, 334606020, 'Y', '9943f8b1468a6bc40988d4d56c901fdab5cbd081', 1701814402583, 1701814407583),
('sofia.sánc22@correo.example.es', 'Sofía', 'Sánchez', 'Rodríguez', '$2y$10$mGdhlxEz9e/bqpoxA96m.J7HbkyJgwalzaI1/3h2C9nEeD5gm/H2j', '$2y$10$v5qmlnugqmett2skyg9xy7lebckwtz5o/xsjzkfbrxyhbgi4i1t6x', '615b2d43e261b33ad32b29984a863a30', 'GFvINz1HDEGK8XIEhIagtpgzui0BAsT2dEUx38vBNIAIz1uNjq7JkAXmaXaU', '4a14fc51f22d5e6713f51b58112e9abdaf40d40daccec3ba3a0824f1d09fe707', 9031277783, 343945457, 'N', '964be73eb370d561eb878b3ee2de874341635fa7', 1701900802706, 1701900807706),
('hugo.pére23@correo.example.es', 'Hugo', 'Pérez', 'Sánchez', '$2y$10$6pog5zm1pEa0Fl4h8kHho8cFm5Guxzppuioc.einoeFs7ydGHrvtt', '$2y$10$iqwu0ih/lqb/ylx1oumka..fwr/9uuo/7/yykpvb82tubi/id7d77', 'c2df97f2e5b2da03ee46ff00545850a9', 'f0THrAmphtMGSWPBxodTl8vbgChgNOt6YJ98NLRE3zR0EKYshgPqQ2EKgQTK', 'f808521e4584d1af173491c300fbfa80b3b49b53b1e4a782d49e41d65635f611', 9065908930, 318889936, 'Y', '9373c17f069d66a75edcec86e12fa92c1efb8681', 1701987202829, 1701987207829),
('martina.garc24@correo.example.es', 'Martina', 'García', 'Fernández', 'Secreto024!', '$2y$10$mgs71z82def4z9q4.qpniy/coro6/sxygv5iqkucrazrsah1rxalo', 'd90f35bc5ae09d7aeb863eb214286b3e', 'EiRBPg3QJ16k6jTtahtteBgJyUfOpkXmLMDcesdKUiurOSJH4T3J4tBzxPtp', '5652806fb75c98a2aa001648850e1c313725e31f78485302b4d85ea8d3940318', 9065136688, 326891125, 'N', '27d2ec4b87fda6960a1f6b8d6a581ae374dd7fb4', 1702073602952, 1702073607952),
('leo.fern25@correo.example.es', 'Leo', 'Fernández', 'López', '$2y$10$1.4qiHjvfaEjJiI63mBirzFymqlIdsah5fjztxCbogqyDbv5f90iA', '$2y$10$zo.2ginh0sdk3n3uqitog.v57/7y0.o9e1.hpc3/xuk1qimywbvyr', '1ad691a7b91973226891cb28f590e795', 'sTri9yib2R1ILuIsqyPW2lVMEWNIsBzZEzCeLt5IszGyeo83amfqbx9BBK1R', 'cc4b5b32109f90317650ab1770ed10587ab0b51af1f7d0dff76efc163f2cea6b', 9018640770, 329773859, 'Y', '90af5643766d7188ef280ca44a51e684a023410a', 1702160003075, 1702160008075),
('valeria.gonz26@correo.example.es', 'Valeria', 'González', 'Pérez', '$2y$10$IvIpEscf9wo3ljz4i/3zwn/4knE47FDrEtu2j6qEkEzI1EIg8lane', '$2y$10$3t3n7siy539q4ifqiht8uwltsfhwjax/6021lko4omcyuttv/z8t/', '64e7ccf57a3a8dcb5577fc272854e03a', 'WC9ISwCbabAcBeKrvzULlleLx6yyj1TWXCgt1KfcqcjfvsvTbMRgEcfkGVqA', '564a122ec9f0cbb3e5b83fb70d8054e9a0e273f2bf248325ebcf6736cb086310', 9035509760, 379950281, 'N', '051d04cd70f4dcc8764fb8cdd015645b8c9e75f9', 1702246403198, 1702246408198),
('daniel.rodr27@correo.example.es', 'Daniel', 'Rodríguez', 'González', 'Secreto027!', '$2y$10$d4n3m1lbl7ywcsvh/m2d.k38.g.6slvpvrjq/xola.8d7e/4eq3xn', 'd547308e77276239bd271cba04779c07', 'pwlAitGu2EvQNrJnNAISxBKuOGrLZENMu1KPdB6KA6SvgecCg9UMfblUScRi', 'cc5ebef7feb0b6238491823315b9d04e9461d40c8cb080ea81cff77386f7b206', 9080023496, 391245966, 'Y', 'a37f14cb4be450fa20436260b6fc035fdf24155c', 1702332803321, 1702332808321),
('carmen.lópe28@correo.example.es', 'Carmen', 'López', 'Martínez', '$2y$10$2wdJ8BvG/bhuFDfFBDJt69hqCG6mwtDCrhrBsfwpi4uwI46zj6He2', '$2y$10$t1sr608ui71omx1ih8snbtochrtya/cwmuti99vn2ayu55vcz1i8f', '554ef636e7f877a6af8b2812f05b5ed9', 'gBsDFc0EzzdD8X14bIcE2bDfJJJPuPYe16Yq1TTjyCCLrTPe3iUqSfoqM8Mv', 'adfff0c87c06e29e2d0738d4bd90a4eac8e63feb2a778c28615ba5e0aa3aacae', 9041735886, 320499682, 'N', 'e8cff2667ab37ad640eae0c22e0f9679bdc588ce', 1702419203444, 1702419208444),
('pablo.mart29@correo.example.es', 'Pablo', 'Martínez', 'García', '$2y$10$AoIIeBdj2.CIuGeDDsr.7l.mqA1uDAE0/eJ5lr.vu/082Cqovu.u9', '$2y$10$mnm7/w6f36iwkx5jdgdt9gdb74w9lww90v8s4wa4f91/eg1g8nk92', 'eb73a00fc4808fe924e297475318c86e', 'Y8bXZdC7X6zMDvzxuTJihdfFxL996oMUXV8xfJh1AETkMlkvIxoIqWAyrFPT', '7d1ded02868bce5ace316227f4dfeb11fecd5f0af721d4be9f2af1cfb647812e', 9039199394, 363494623, 'Y', 'ff428d2ac06dcfd2d06a58396956d56ad1b0092d', 1702505603567, 1702505608567);

CREATE TABLE `alunos` (
  `id` int(11) NOT NULL,
  `Nome` varchar(80) NOT NULL,
  `Email` varchar(120) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `alunos` (`id`, `Nome`, `Email`) VALUES
(1, 'Maria Souza', 'aluno1@escola.example.br'),
(2, 'Ana Oliveira', 'aluno2@escola.example.br'),
(3, 'Pedro Santos', 'aluno3@escola.example.br'),
(4, 'Beatriz Lima', 'aluno4@escola.example.br'),
(5, 'Lucas Costa', 'aluno5@escola.example.br'),
(6, 'João Silva', 'aluno6@escola.example.br'),
(7, 'Maria Souza', 'aluno7@escola.example.br'),
(8, 'Ana Oliveira', 'aluno8@escola.example.br'),
(9, 'Pedro Santos', 'aluno9@escola.example.br'),
(10, 'Beatriz Lima', 'aluno10@escola.example.br'),
(11, 'Lucas Costa', 'aluno11@escola.example.br'),
(12, 'João Silva', 'aluno12@escola.example.br'),
(13, 'Maria Souza', 'aluno13@escola.example.br'),
(14, 'Ana Oliveira', 'aluno14@escola.example.br'),
(15, 'Pedro Santos', 'aluno15@escola.example.br'),
(16, 'Beatriz Lima', 'aluno16@escola.example.br'),
(17, 'Lucas Costa', 'aluno17@escola.example.br'),
(18, 'João Silva', 'aluno18@escola.example.br'),
(19, 'Maria Souza', 'aluno19@escola.example.br'),
(20, 'Ana Oliveira', 'aluno20@escola.example.br'),
(21, 'Pedro Santos', 'aluno21@escola.example.br'),
(22, 'Beatriz Lima', 'aluno22@escola.example.br'),
(23, 'Lucas Costa', 'aluno23@escola.example.br'),
(24, 'João Silva', 'aluno24@escola.example.br');

CREATE TABLE `pelanggan` (
  `id` int(11) NOT NULL,
  `nama` varchar(80) NOT NULL,
  `kota` varchar(40) DEFAULT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `pelanggan` (`id`, `nama`, `kota`) VALUES
(1, 'Siti Rahayu', 'Bandung'),
(2, 'Agus Wijaya', 'Bandung'),
(3, 'Dewi Lestari', 'Bandung'),
(4, 'Rudi Hartono', 'Bandung'),
(5, 'Putri Ayu', 'Bandung'),
(6, 'Budi Santoso', 'Bandung'),
(7, 'Siti Rahayu', 'Bandung'),
(8, 'Agus Wijaya', 'Bandung'),
(9, 'Dewi Lestari', 'Bandung'),
(10, 'Rudi Hartono', 'Bandung'),
(11, 'Putri Ayu', 'Bandung'),
(12, 'Budi Santoso', 'Bandung'),
(13, 'Siti Rahayu', 'Bandung'),
(14, 'Agus Wijaya', 'Bandung'),
(15, 'Dewi Lestari', 'Bandung'),
(16, 'Rudi Hartono', 'Bandung'),
(17, 'Putri Ayu', 'Bandung'),
(18, 'Budi Santoso', 'Bandung'),
(19, 'Siti Rahayu', 'Bandung'),
(20, 'Agus Wijaya', 'Bandung'),
(21, 'Dewi Lestari', 'Bandung'),
(22, 'Rudi Hartono', 'Bandung'),
(23, 'Putri Ayu', 'Bandung'),
(24, 'Budi Santoso', 'Bandung');

CREATE TABLE `productos` (
  `id` int(11) NOT NULL,
  `name` varchar(100) NOT NULL,
  `precio` decimal(10,2) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `productos` (`id`, `name`, `precio`) VALUES
(1, 'Taza de café 1', 11.50),
(2, 'Mochila 20L 2', 12.50),
(3, 'Lámpara LED 3', 13.50),
(4, 'Cuaderno A5 4', 14.50),
(5, 'Bolígrafo gel 5', 15.50),
(6, 'Camiseta azul 6', 16.50),
(7, 'Taza de café 7', 17.50),
(8, 'Mochila 20L 8', 18.50),
(9, 'Lámpara LED 9', 19.50),
(10, 'Cuaderno A5 10', 20.50),
(11, 'Bolígrafo gel 11', 21.50),
(12, 'Camiseta azul 12', 22.50),
(13, 'Taza de café 13', 23.50),
(14, 'Mochila 20L 14', 24.50),
(15, 'Lámpara LED 15', 25.50),
(16, 'Cuaderno A5 16', 26.50),
(17, 'Bolígrafo gel 17', 27.50),
(18, 'Camiseta azul 18', 28.50),
(19, 'Taza de café 19', 29.50),
(20, 'Mochila 20L 20', 30.50),
(21, 'Lámpara LED 21', 31.50),
(22, 'Cuaderno A5 22', 32.50),
(23, 'Bolígrafo gel 23', 33.50),
(24, 'Camiseta azul 24', 34.50);

CREATE TABLE `menu_items` (
  `id` int(11) NOT NULL,
  `name` varchar(100) NOT NULL,
  `menu_name` varchar(100) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
INSERT INTO `menu_items` (`id`, `name`, `menu_name`) VALUES
(1, 'Pozole rojo', 'Comida'),
(2, 'Mole poblano', 'Comida'),
(3, 'Agua de jamaica', 'Comida'),
(4, 'Churros', 'Comida'),
(5, 'Enchiladas', 'Comida'),
(6, 'Tacos al pastor', 'Comida'),
(7, 'Pozole rojo', 'Comida'),
(8, 'Mole poblano', 'Comida'),
(9, 'Agua de jamaica', 'Comida'),
(10, 'Churros', 'Comida'),
(11, 'Enchiladas', 'Comida'),
(12, 'Tacos al pastor', 'Comida'),
(13, 'Pozole rojo', 'Comida'),
(14, 'Mole poblano', 'Comida'),
(15, 'Agua de jamaica', 'Comida'),
(16, 'Churros', 'Comida'),
(17, 'Enchiladas', 'Comida'),
(18, 'Tacos al pastor', 'Comida'),
(19, 'Pozole rojo', 'Comida'),
(20, 'Mole poblano', 'Comida'),
(21, 'Agua de jamaica', 'Comida'),
(22, 'Churros', 'Comida'),
(23, 'Enchiladas', 'Comida'),
(24, 'Tacos al pastor', 'Comida');

ALTER TABLE `usuarios`
  ADD PRIMARY KEY (`email`);

ALTER TABLE `alunos`
  ADD PRIMARY KEY (`id`);
COMMIT;
